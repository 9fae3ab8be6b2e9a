package org.pvmakka.internal.worker;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.InboundWatcher;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.wire.Credit;
import org.pvmakka.internal.wire.Delivery;
import org.pvmakka.internal.wire.MessageBatch;
import org.pvmakka.internal.wire.Receipt;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.task.HostId;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.Received;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.task.TaskId;
import org.pvmakka.task.WireException;

/**
 * One spawned task, on any {@link Pvm}: it enrolls, watches its parent (TaskExit notify),
 * receives its {@link SpawnRequest}, runs the {@link TaskFunction} on a function thread, sends back
 * a {@link WireResult} if asked, and leaves PVM. The thread that calls {@link #run()} owns the
 * {@link Pvm}: it waits on an {@link InboundWatcher} and on the function's sends, drains inbound
 * messages into the task's inbox and performs the sends. {@link WorkerMain} runs it in a worker JVM;
 * the simulator runs the same code on a thread of the test JVM.
 *
 * <p>Flow control: when the request carries a {@link org.pvmakka.internal.wire.FlowWindow}, each user message to the
 * parent takes one credit ({@link CreditWindow}) and a send waits while the window is full; {@link Credit}s from the
 * parent give credit back. A {@link Delivery} from the parent goes to the inbox and is answered with a {@link Receipt}.
 */
public final class WorkerRuntime {
    /** Exit code: done. */
    public static final int EXIT_OK = 0;
    /** Exit code: bad start (not spawned by PVM, bad configuration). */
    public static final int EXIT_BAD_START = 2;
    /** Exit code: no spawn payload in time. */
    public static final int EXIT_NO_PAYLOAD = 3;
    /** Exit code: lost the pvmd. */
    public static final int EXIT_LOST_PVMD = 4;
    /** Exit code: the parent exited. */
    public static final int EXIT_PARENT_EXITED = 5;

    private final Pvm pvm;
    private final WorkerSettings settings;
    private final WorkerEnvironment env;
    private final PrintStream err;
    private final WireCodec codec;
    private final LinkedBlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicReference<WireResult> outcome = new AtomicReference<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopped;
    private InboundWatcher watcher;
    private TaskId me;
    private TaskId parent;
    private long dropped;
    /** The credit window of messages to the parent, or null without flow control. */
    private volatile CreditWindow credit;

    /** @param credited true when the message took a credit (given back if it cannot be sent) */
    private record Outgoing(int tid, int tag, byte[] data, boolean credited, CompletableFuture<Void> done) {
    }

    /** The task ended at once (parent exit): unwinds {@link #run()} in an in-process task. */
    private static final class Halted extends RuntimeException {
        final int code;

        Halted(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    /**
     * @param pvm this task's {@link Pvm}, owned by the thread that will call {@link #run()}
     * @param settings as the spawner passed them
     * @param env the process the task runs in
     * @throws WireException when the wire settings name a class that cannot be registered
     */
    public WorkerRuntime(Pvm pvm, WorkerSettings settings, WorkerEnvironment env) {
        this.pvm = pvm;
        this.settings = settings;
        this.env = env;
        this.err = env.err();
        this.codec = new WireCodec(settings.wire());
    }

    /**
     * Runs the task to its end on the calling thread.
     *
     * @return the exit code ({@link #EXIT_OK} when the function ran, whatever its outcome)
     */
    public int run() {
        try {
            return runEnrolled();
        } catch (Halted h) {
            return h.code;
        } finally {
            stopped = true;
            CreditWindow w = credit;
            if (w != null) {
                w.close("task " + me + " has ended");
            }
            failPendingSends();
            if (watcher != null) {
                watcher.close();
            }
        }
    }

    private int runEnrolled() {
        me = new TaskId(pvm.mytid());
        var p = pvm.parent();
        if (p.isEmpty()) {
            err.println("pvm-akka worker: not spawned by PVM (no parent task); it only runs under pvm_spawn");
            pvm.exit();
            return EXIT_BAD_START;
        }
        parent = new TaskId(p.getAsInt());
        pvm.notify(NotifyKind.TASK_EXIT, WireTags.PARENT_EXIT, new int[] {parent.tid()});
        HostId host = new HostId(pvm.tidToHost(me.tid()), env.hostName());

        SpawnRequest request;
        try {
            request = awaitPayload();
        } catch (PvmException e) {
            err.println("pvm-akka worker " + me + ": lost the pvmd while waiting for the payload: " + e.getMessage());
            return EXIT_LOST_PVMD;
        }
        if (request == null) {
            return EXIT_NO_PAYLOAD;
        }
        String expected = settings.expectedFingerprint();
        if (expected != null && !expected.equals(codec.fingerprint())) {
            finish(request, WireResult.failure(me, RemoteError.of(WireException.class.getName(),
                    "wire registrations differ between spawner (" + expected + ") and worker (" + codec.fingerprint()
                            + "): give both the same registrars and classes")));
            return EXIT_OK;
        }
        TaskFunction function;
        try {
            function = load(request.functionClass());
        } catch (RuntimeException e) {
            finish(request, WireResult.failure(me, RemoteError.of(e)));
            return EXIT_OK;
        }
        if (request.window() != null) {
            credit = new CreditWindow(request.window());
        }
        startFunction(function, request.args(), new Context(host));
        try {
            loop();
        } catch (PvmException e) {
            err.println("pvm-akka worker " + me + ": lost the pvmd: " + e.getMessage());
            return EXIT_LOST_PVMD;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_LOST_PVMD; // only an in-process task is interrupted: it was killed
        }
        finish(request, outcome.get());
        return EXIT_OK;
    }

    private SpawnRequest awaitPayload() {
        double timeout = settings.payloadTimeoutSeconds();
        long deadline = System.nanoTime() + (long) (timeout * 1e9);
        while (true) {
            double left = (deadline - System.nanoTime()) / 1e9;
            if (left <= 0) {
                err.println("pvm-akka worker " + me + ": no spawn payload from " + parent + " within " + timeout + " s");
                pvm.exit();
                return null;
            }
            Optional<Inbound> in = pvm.receive(Pvm.ANY, Pvm.ANY, Math.min(left, 1.0));
            if (in.isEmpty()) {
                continue;
            }
            Inbound m = in.get();
            if (m instanceof Inbound.Message msg && msg.tag() == WireTags.SPAWN && msg.source() == parent.tid()) {
                try {
                    return codec.decode(msg.data(), SpawnRequest.class);
                } catch (WireException e) {
                    err.println("pvm-akka worker " + me + ": bad spawn payload: " + e.getMessage());
                    pvm.exit();
                    return null;
                }
            }
            handle(m);
        }
    }

    private static TaskFunction load(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> c;
        try {
            c = Class.forName(name, true, loader != null ? loader : WorkerRuntime.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("task function class " + name + " is not on the worker's classpath", e);
        }
        if (!TaskFunction.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(name + " does not implement " + TaskFunction.class.getName());
        }
        try {
            return (TaskFunction) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(name + " needs a public no-argument constructor", e);
        }
    }

    private void startFunction(TaskFunction function, List<Object> args, TaskContext ctx) {
        env.newThread(() -> {
            WireResult r;
            try {
                r = WireResult.success(me, function.run(ctx, args));
            } catch (Throwable e) {
                r = WireResult.failure(me, RemoteError.of(e));
            }
            outcome.set(r);
            wake.release();
        }, "task-function").start();
    }

    /** The owner loop: drain, send, finish or wait. Every PVM call happens here. */
    private void loop() throws InterruptedException {
        watcher = pvm.watchInbound(wake::release);
        while (true) {
            drain();
            boolean sent = false;
            for (Outgoing o; (o = outbox.poll()) != null; ) {
                try {
                    pvm.send(o.tid, o.tag, o.data);
                    o.done.complete(null);
                } catch (RuntimeException e) {
                    if (o.credited) {
                        credit.release(1, o.data.length); // never sent: nothing of it is in flight
                    }
                    o.done.completeExceptionally(e);
                }
                sent = true;
            }
            if (sent) {
                continue; // a send may have pulled messages into libpvm's queue: drain again
            }
            if (outcome.get() != null && outbox.isEmpty()) {
                return;
            }
            watcher.arm();
            wake.acquire();
            wake.drainPermits(); // everything signalled so far is looked at by the next turn
        }
    }

    private void drain() {
        for (Optional<Inbound> in = pvm.receive(Pvm.ANY, Pvm.ANY, 0); in.isPresent();
                in = pvm.receive(Pvm.ANY, Pvm.ANY, 0)) {
            handle(in.get());
        }
    }

    private void handle(Inbound in) {
        if (in instanceof Inbound.Notification n && n.tag() == WireTags.PARENT_EXIT) {
            err.println("pvm-akka worker " + me + ": parent " + parent + " exited; stopping");
            env.halt(EXIT_PARENT_EXITED);
            throw new Halted(EXIT_PARENT_EXITED);
        }
        if (in instanceof Inbound.Message m && m.tag() == WireTags.USER) {
            try {
                inbox.add(new Received(new TaskId(m.source()), codec.decode(m.data())));
            } catch (WireException e) {
                drop(in, e.getMessage());
            }
            return;
        }
        if (in instanceof Inbound.Message m && m.tag() == WireTags.CREDIT) {
            CreditWindow w = credit;
            if (m.source() != parent.tid() || w == null) {
                drop(in, "credit not from the parent, or without flow control");
                return;
            }
            try {
                Credit c = codec.decode(m.data(), Credit.class);
                w.release(c.messages(), c.bytes());
            } catch (WireException e) {
                drop(in, e.getMessage());
            }
            return;
        }
        if (in instanceof Inbound.Message m && m.tag() == WireTags.DELIVER) {
            Delivery d;
            try {
                d = codec.decode(m.data(), Delivery.class);
            } catch (WireException e) {
                drop(in, e.getMessage());
                return;
            }
            inbox.add(new Received(new TaskId(m.source()), d.message()));
            try {
                pvm.send(m.source(), WireTags.RECEIPT, codec.encode(new Receipt(d.seq())));
            } catch (PvmException e) {
                err.println("pvm-akka worker " + me + ": could not confirm a delivery to " + new TaskId(m.source())
                        + ": " + e.getMessage());
            }
            return;
        }
        if (in instanceof Inbound.Message m && m.tag() == WireTags.USER_BATCH) {
            TaskId from = new TaskId(m.source());
            try {
                MessageBatch.forEach(m.data(), (data, offset, length) -> {
                    try {
                        inbox.add(new Received(from, codec.decode(data, offset, length)));
                    } catch (WireException e) {
                        drop(in, "a message of a batch: " + e.getMessage());
                    }
                });
            } catch (WireException e) {
                drop(in, e.getMessage());
            }
            return;
        }
        drop(in, "not a runtime message for a worker");
    }

    private void drop(Inbound in, String why) {
        if (dropped++ == 0) {
            err.println("pvm-akka worker " + me + ": dropped " + in + ": " + why + " (further drops are counted only)");
        }
    }

    private void finish(SpawnRequest request, WireResult result) {
        if (dropped > 0) {
            err.println("pvm-akka worker " + me + ": dropped " + dropped + " messages in all");
        }
        if (request.sendBack()) {
            byte[] bytes;
            try {
                bytes = codec.encode(result);
            } catch (WireException e) {
                bytes = codec.encode(WireResult.failure(me, RemoteError.of(e)));
            }
            try {
                pvm.send(parent.tid(), WireTags.RESULT, bytes);
            } catch (PvmException e) {
                err.println("pvm-akka worker " + me + ": could not send the result: " + e.getMessage());
            }
        }
        pvm.exit();
    }

    /** Sends the owner loop will not perform any more fail, so that no function thread waits forever. */
    private void failPendingSends() {
        for (Outgoing o; (o = outbox.poll()) != null; ) {
            o.done.completeExceptionally(ended("send to " + new TaskId(o.tid)));
        }
    }

    private PvmException ended(String op) {
        return new PvmException(op, PvmError.SYS_ERR.code(), "task " + me + " has ended");
    }

    private final class Context implements TaskContext {
        private final HostId host;

        Context(HostId host) {
            this.host = host;
        }

        @Override
        public TaskId taskId() {
            return me;
        }

        @Override
        public TaskId parentId() {
            return parent;
        }

        @Override
        public HostId hostId() {
            return host;
        }

        @Override
        public int availableCores() {
            return env.availableCores();
        }

        @Override
        public void send(TaskId to, Object message) {
            if (to == null || !to.isValid()) {
                throw new IllegalArgumentException("cannot send to invalid task ID " + to);
            }
            byte[] data = codec.encode(message);
            if (stopped) {
                throw ended("send to " + to);
            }
            CreditWindow w = credit;
            boolean credited = w != null && to.equals(parent);
            if (credited) {
                w.acquire(data.length, "send to " + to); // waits while the window is full
            }
            Outgoing o = new Outgoing(to.tid(), WireTags.USER, data, credited, new CompletableFuture<>());
            outbox.add(o);
            wake.release();
            if (stopped) {
                failPendingSends(); // the owner loop ended meanwhile
            }
            try {
                o.done.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }

        @Override
        public Optional<Received> receive(double timeoutSeconds) throws InterruptedException {
            if (timeoutSeconds < 0) {
                return Optional.of(inbox.take());
            }
            if (timeoutSeconds == 0) {
                return Optional.ofNullable(inbox.poll());
            }
            return Optional.ofNullable(inbox.poll((long) (timeoutSeconds * 1e9), TimeUnit.NANOSECONDS));
        }
    }
}
