package org.pvmakka.worker;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.pvmakka.bridge.HostId;
import org.pvmakka.bridge.Inbound;
import org.pvmakka.bridge.NotifyKind;
import org.pvmakka.bridge.Pvm;
import org.pvmakka.bridge.PvmException;
import org.pvmakka.bridge.PvmOption;
import org.pvmakka.bridge.TaskId;
import org.pvmakka.bridge.wire.TaskMessage;
import org.pvmakka.bridge.codec.WireCodec;
import org.pvmakka.bridge.codec.WireException;
import org.pvmakka.bridge.codec.WireSettings;
import org.pvmakka.bridge.jna.FdPoller;
import org.pvmakka.bridge.jna.JnaPvm;
import org.pvmakka.bridge.jna.JnaPvmOptions;
import org.pvmakka.bridge.wire.MessageBatch;
import org.pvmakka.bridge.wire.MsgTaskResult;
import org.pvmakka.bridge.wire.RemoteError;
import org.pvmakka.bridge.wire.SpawnRequest;
import org.pvmakka.bridge.wire.WireTags;

/**
 * The worker JVM that {@code pvm_spawn} starts. It enrolls, watches its parent (TaskExit notify),
 * receives its {@link SpawnRequest}, runs the {@link TaskFunction} on a function thread, sends back
 * a {@link MsgTaskResult} if asked, and leaves PVM. The main thread owns libpvm: it waits in
 * {@code poll()} on libpvm's sockets and a wake-up pipe, drains inbound messages into the task's
 * inbox and performs the function's sends.
 *
 * <p>Exit codes: 0 done, 2 bad start (not spawned by PVM, bad configuration), 3 no payload in time,
 * 4 lost the pvmd, 5 parent exited.
 */
public final class WorkerMain {
    /** System property: seconds to wait for the spawn payload (default 120). */
    public static final String PROP_PAYLOAD_TIMEOUT = "pvmakka.worker.payload-timeout";
    /** System property: the spawner's wire fingerprint; a mismatch fails the task at once. */
    public static final String PROP_FINGERPRINT = "pvmakka.wire.fingerprint";
    /**
     * System property: the worker's PVM routing, as the runtime's {@code pvm-akka.route} setting
     * ({@code pvmd}, {@code allow-direct} or {@code direct}); absent keeps libpvm's default.
     */
    public static final String PROP_ROUTE = "pvmakka.route";
    /** System property: {@code PvmFragSize} in bytes (0 keeps libpvm's 4 KiB); absent = 64 KiB. */
    public static final String PROP_FRAGMENT_SIZE = "pvmakka.fragment-size";

    private static final PrintStream ERR = System.err;

    private final LinkedBlockingQueue<TaskMessage> inbox = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicReference<MsgTaskResult> outcome = new AtomicReference<>();
    private final FdPoller poller = new FdPoller();
    private WireCodec codec;
    private Pvm pvm;
    private TaskId me;
    private TaskId parent;
    private long dropped;

    private record Outgoing(int tid, int tag, byte[] data, CompletableFuture<Void> done) {
    }

    private WorkerMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new WorkerMain().run();
        } catch (RuntimeException | Error e) {
            ERR.println("pvm-akka worker: " + e);
            code = 2;
        }
        ERR.flush();
        System.exit(code);
    }

    private int run() {
        codec = new WireCodec(WireSettings.fromSystemProperties());
        int route = routeOption(System.getProperty(PROP_ROUTE));
        pvm = JnaPvm.open(JnaPvmOptions.defaults().withAllowRoot(true).withMaxMessageBytes(codec.maxMessageBytes())
                .withFragmentSize(Integer.getInteger(PROP_FRAGMENT_SIZE, JnaPvmOptions.DEFAULT_FRAGMENT_SIZE)));
        me = new TaskId(pvm.mytid());
        if (route != 0) {
            pvm.setOption(PvmOption.ROUTE, route);
        }
        var p = pvm.parent();
        if (p.isEmpty()) {
            ERR.println("pvm-akka worker: not spawned by PVM (no parent task); it only runs under pvm_spawn");
            pvm.exit();
            return 2;
        }
        parent = new TaskId(p.getAsInt());
        pvm.notify(NotifyKind.TASK_EXIT, WireTags.PARENT_EXIT, new int[] {parent.tid()});
        HostId host = HostId.of(pvm.tidToHost(me.tid()));
        host = new HostId(host.dtid(), HostInfoReporter.hostName());

        SpawnRequest request;
        try {
            request = awaitPayload();
        } catch (PvmException e) {
            ERR.println("pvm-akka worker " + me + ": lost the pvmd while waiting for the payload: " + e.getMessage());
            return 4;
        }
        if (request == null) {
            return 3;
        }
        String expected = System.getProperty(PROP_FINGERPRINT);
        if (expected != null && !expected.equals(codec.fingerprint())) {
            finish(request, MsgTaskResult.failure(me, RemoteError.of(WireException.class.getName(),
                    "wire registrations differ between spawner (" + expected + ") and worker (" + codec.fingerprint()
                            + "): give both the same registrars and classes")));
            return 0;
        }
        TaskFunction function;
        try {
            function = load(request.functionClass());
        } catch (RuntimeException e) {
            finish(request, MsgTaskResult.failure(me, RemoteError.of(e)));
            return 0;
        }
        startFunction(function, request.args(), new Context(host));
        try {
            loop();
        } catch (PvmException e) {
            ERR.println("pvm-akka worker " + me + ": lost the pvmd: " + e.getMessage());
            return 4;
        }
        finish(request, outcome.get());
        return 0;
    }

    /**
     * The {@code pvm_setopt(PvmRoute)} value of a route name, 0 for none.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static int routeOption(String name) {
        if (name == null || name.isEmpty()) {
            return 0;
        }
        return switch (name) {
            case "pvmd" -> PvmOption.DONT_ROUTE;
            case "allow-direct" -> PvmOption.ALLOW_DIRECT;
            case "direct" -> PvmOption.ROUTE_DIRECT;
            default -> throw new IllegalArgumentException("route must be pvmd, allow-direct or direct, got '" + name + "'");
        };
    }

    private SpawnRequest awaitPayload() {
        double timeout = Double.parseDouble(System.getProperty(PROP_PAYLOAD_TIMEOUT, "120"));
        long deadline = System.nanoTime() + (long) (timeout * 1e9);
        while (true) {
            double left = (deadline - System.nanoTime()) / 1e9;
            if (left <= 0) {
                ERR.println("pvm-akka worker " + me + ": no spawn payload from " + parent + " within " + timeout + " s");
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
                    ERR.println("pvm-akka worker " + me + ": bad spawn payload: " + e.getMessage());
                    pvm.exit();
                    return null;
                }
            }
            handle(m);
        }
    }

    private static TaskFunction load(String name) {
        Class<?> c;
        try {
            c = Class.forName(name);
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
        Thread t = new Thread(() -> {
            MsgTaskResult r;
            try {
                r = MsgTaskResult.success(me, function.run(ctx, args));
            } catch (Throwable e) {
                r = MsgTaskResult.failure(me, RemoteError.of(e));
            }
            outcome.set(r);
            poller.wakeup();
        }, "task-function");
        t.setDaemon(true);
        t.start();
    }

    /** The owner loop: drain, send, finish or wait. Every PVM call happens here. */
    private void loop() {
        while (true) {
            drain();
            boolean sent = false;
            for (Outgoing o; (o = outbox.poll()) != null; ) {
                try {
                    pvm.send(o.tid, o.tag, o.data);
                    o.done.complete(null);
                } catch (RuntimeException e) {
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
            poller.await(pvm.fileDescriptors(), -1);
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
            ERR.println("pvm-akka worker " + me + ": parent " + parent + " exited; stopping");
            ERR.flush();
            Runtime.getRuntime().halt(5);
        }
        if (in instanceof Inbound.Message m && m.tag() == WireTags.USER) {
            try {
                inbox.add(new TaskMessage(new TaskId(m.source()), codec.decode(m.data())));
                return;
            } catch (WireException e) {
                drop(in, e.getMessage());
                return;
            }
        }
        if (in instanceof Inbound.Message m && m.tag() == WireTags.USER_BATCH) {
            TaskId from = new TaskId(m.source());
            try {
                MessageBatch.forEach(m.data(), (data, offset, length) -> {
                    try {
                        inbox.add(new TaskMessage(from, codec.decode(data, offset, length)));
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
            ERR.println("pvm-akka worker " + me + ": dropped " + in + ": " + why + " (further drops are counted only)");
        }
    }

    private void finish(SpawnRequest request, MsgTaskResult result) {
        if (request.sendBack()) {
            byte[] bytes;
            try {
                bytes = codec.encode(result);
            } catch (WireException e) {
                bytes = codec.encode(MsgTaskResult.failure(me, RemoteError.of(e)));
            }
            try {
                pvm.send(parent.tid(), WireTags.RESULT, bytes);
            } catch (PvmException e) {
                ERR.println("pvm-akka worker " + me + ": could not send the result: " + e.getMessage());
            }
        }
        pvm.exit();
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
        public void send(TaskId to, Object message) {
            if (to == null || !to.isValid()) {
                throw new IllegalArgumentException("cannot send to invalid task ID " + to);
            }
            Outgoing o = new Outgoing(to.tid(), WireTags.USER, codec.encode(message), new CompletableFuture<>());
            outbox.add(o);
            poller.wakeup();
            try {
                o.done.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }

        @Override
        public Optional<TaskMessage> receive(double timeoutSeconds) throws InterruptedException {
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
