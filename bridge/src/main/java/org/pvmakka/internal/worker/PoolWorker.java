package org.pvmakka.internal.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pvmakka.internal.wire.PoolWire;
import org.pvmakka.task.HostId;
import org.pvmakka.task.Received;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.task.TaskId;
import org.pvmakka.task.WireException;

/**
 * A job pool's warm worker: a task function that says hello to its pool, then runs the jobs the pool
 * sends ({@link PoolWire.Jobs}) one after the other and sends their outcomes back in batches
 * ({@link PoolWire.Results}), until told to stop ({@link PoolWire.Stop}). A job that throws is a
 * failed outcome; the worker keeps serving. Each function class is loaded once per worker. A job
 * sees a {@link TaskContext} like a task's: its {@code receive} returns the user messages that are
 * not the pool's.
 */
public final class PoolWorker implements TaskFunction {
    /** Outcomes are flushed at least this often while jobs keep running. */
    static final long FLUSH_NANOS = 2_000_000;
    /** At most this many outcomes per message. */
    static final int MAX_BATCH = 512;

    private final ArrayDeque<PoolWire.Job> local = new ArrayDeque<>();
    private final ArrayDeque<Received> userInbox = new ArrayDeque<>();
    private final Map<String, Object> functions = new HashMap<>();
    private boolean stop;
    private TaskContext outer;

    @Override
    public Object run(TaskContext context, List<Object> args) throws Exception {
        outer = context;
        context.send(context.parentId(), new PoolWire.Hello(context.hostId()));
        JobContext jobContext = new JobContext();
        List<PoolWire.Result> out = new ArrayList<>();
        long firstOut = 0;
        long[] runNanos = {0};
        while (true) {
            synchronized (this) {
                drainInbox(0);
                if (local.isEmpty()) {
                    if (!out.isEmpty()) {
                        flush(out, runNanos);
                    }
                    if (stop) {
                        return null;
                    }
                    drainInbox(-1);
                    continue;
                }
            }
            PoolWire.Job job;
            synchronized (this) {
                job = local.poll();
            }
            if (out.isEmpty()) {
                firstOut = System.nanoTime();
            }
            long t = System.nanoTime();
            out.add(runJob(job, jobContext));
            long now = System.nanoTime();
            runNanos[0] += now - t;
            if (out.size() >= MAX_BATCH || now - firstOut > FLUSH_NANOS) {
                flush(out, runNanos);
            }
        }
    }

    /** Moves what the inbox holds into the local queues; {@code timeout} as for receive, one message at most when blocking. */
    private void drainInbox(double timeout) throws InterruptedException {
        if (timeout < 0) {
            outer.receive(-1).ifPresent(this::classify);
            return;
        }
        for (Optional<Received> r = outer.receive(0); r.isPresent(); r = outer.receive(0)) {
            classify(r.get());
        }
    }

    private void classify(Received r) {
        boolean fromPool = r.sender().equals(outer.parentId());
        if (fromPool && r.message() instanceof PoolWire.Jobs jobs) {
            local.addAll(jobs.jobs());
        } else if (fromPool && r.message() instanceof PoolWire.Stop) {
            stop = true;
        } else {
            userInbox.add(r);
        }
    }

    private PoolWire.Result runJob(PoolWire.Job job, TaskContext ctx) {
        try {
            TaskFunction f = instantiate(job.functionClass());
            return new PoolWire.Result(job.id(), true, f.run(ctx, job.args()), null);
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new PoolWire.Result(job.id(), false, null, RemoteError.of(t));
        }
    }

    /** A fresh instance per job, from a constructor looked up once per class (or the cached load error). */
    private TaskFunction instantiate(String name) throws Exception {
        Object cached = functions.computeIfAbsent(name, PoolWorker::lookUp);
        if (cached instanceof RuntimeException e) {
            throw e;
        }
        return (TaskFunction) ((java.lang.reflect.Constructor<?>) cached).newInstance();
    }

    private static Object lookUp(String name) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> c = Class.forName(name, true, loader != null ? loader : PoolWorker.class.getClassLoader());
            if (!TaskFunction.class.isAssignableFrom(c)) {
                return new IllegalArgumentException(name + " does not implement " + TaskFunction.class.getName());
            }
            return c.getDeclaredConstructor();
        } catch (ClassNotFoundException e) {
            return new IllegalArgumentException("task function class " + name + " is not on the worker's classpath", e);
        } catch (NoSuchMethodException e) {
            return new IllegalArgumentException(name + " needs a public no-argument constructor", e);
        }
    }

    /** Sends the outcomes; when one of them cannot be encoded, that one becomes a failure and the rest still go. */
    private void flush(List<PoolWire.Result> out, long[] runNanos) {
        long run = runNanos[0];
        runNanos[0] = 0;
        try {
            outer.send(outer.parentId(), new PoolWire.Results(new ArrayList<>(out), run));
        } catch (WireException e) {
            for (PoolWire.Result r : out) {
                try {
                    outer.send(outer.parentId(), new PoolWire.Results(new ArrayList<>(List.of(r)), 0));
                } catch (WireException bad) {
                    outer.send(outer.parentId(), new PoolWire.Results(new ArrayList<>(List.of(
                            new PoolWire.Result(r.id(), false, null, RemoteError.of(bad)))), 0));
                }
            }
        }
        out.clear();
    }

    /** What a job sees: the worker's identity and messaging, minus the pool's own messages. */
    private final class JobContext implements TaskContext {
        @Override
        public TaskId taskId() {
            return outer.taskId();
        }

        @Override
        public TaskId parentId() {
            return outer.parentId();
        }

        @Override
        public HostId hostId() {
            return outer.hostId();
        }

        @Override
        public int availableCores() {
            return outer.availableCores();
        }

        @Override
        public void send(TaskId to, Object message) {
            outer.send(to, message);
        }

        @Override
        public Optional<Received> receive(double timeoutSeconds) throws InterruptedException {
            long deadline = timeoutSeconds > 0 ? System.nanoTime() + (long) (timeoutSeconds * 1e9) : 0;
            synchronized (PoolWorker.this) {
                while (true) {
                    drainInbox(0);
                    if (!userInbox.isEmpty()) {
                        return Optional.of(userInbox.poll());
                    }
                    if (timeoutSeconds == 0) {
                        return Optional.empty();
                    }
                    double left = timeoutSeconds < 0 ? -1 : (deadline - System.nanoTime()) / 1e9;
                    if (timeoutSeconds > 0 && left <= 0) {
                        return Optional.empty();
                    }
                    Optional<Received> r = outer.receive(left < 0 ? -1 : left);
                    r.ifPresent(PoolWorker.this::classify);
                }
            }
        }
    }
}
