package org.pvmakka.testkit;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.pvmakka.internal.bridge.HostResult;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.InboundWatcher;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.PvmOption;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.bridge.VmConfig;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskId;

/**
 * One process's view of a {@link SimulatedCluster}, with the contract of the real {@link Pvm}: the
 * same return values, error codes and notify bodies, checked against a real pvmd by the contract
 * tests. Like {@code JnaPvm}, the thread that made it owns it and calls from other threads are
 * refused; a process made by {@link SimulatedCluster#attach()} enrolls on its first call (on the
 * master host) and again after {@link #exit()}, with a new tid.
 */
public final class SimulatedPvm implements Pvm {
    private final SimulatedCluster cluster;
    private final Thread owner;
    private final int maxMessageBytes;
    private final boolean spawned;
    private final Map<PvmOption, Integer> options = new EnumMap<>(PvmOption.class);
    private SimTask task;

    /** A process that enrolls itself ({@link SimulatedCluster#attach}). */
    SimulatedPvm(SimulatedCluster cluster, int maxMessageBytes) {
        this(cluster, null, maxMessageBytes, false);
    }

    /** The handle of a spawned task, made on its own thread. */
    SimulatedPvm(SimulatedCluster cluster, SimTask task, int maxMessageBytes) {
        this(cluster, task, maxMessageBytes, true);
    }

    private SimulatedPvm(SimulatedCluster cluster, SimTask task, int maxMessageBytes, boolean spawned) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        this.cluster = cluster;
        this.owner = Thread.currentThread();
        this.maxMessageBytes = maxMessageBytes;
        this.spawned = spawned;
        this.task = task;
        // libpvm's defaults, with AutoErr off and the fragment size JnaPvm sets by default
        options.put(PvmOption.ROUTE, PvmOption.ALLOW_DIRECT);
        options.put(PvmOption.AUTO_ERR, 0);
        options.put(PvmOption.OUTPUT_TID, 0);
        options.put(PvmOption.OUTPUT_CODE, 0);
        options.put(PvmOption.FRAG_SIZE, JnaPvmOptions.DEFAULT_FRAGMENT_SIZE);
        options.put(PvmOption.RESV_TIDS, 0);
        options.put(PvmOption.SELF_OUTPUT_TID, 0);
        options.put(PvmOption.SELF_OUTPUT_CODE, 0);
        options.put(PvmOption.SHOW_TIDS, 1);
    }

    /** {@return the cluster this process belongs to} */
    public SimulatedCluster cluster() {
        return cluster;
    }

    /**
     * Another handle of the same process with another maximum message size, as a second
     * {@code JnaPvm.open} in the same JVM; owned by the calling thread.
     *
     * @param max the largest encoded message, either way
     * @return the new handle
     */
    public SimulatedPvm withMaxMessageBytes(int max) {
        checkThread();
        return new SimulatedPvm(cluster, current("pvm_mytid"), max, spawned);
    }

    private void checkThread() {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw new IllegalStateException("libpvm is not thread-safe: this Pvm belongs to thread '" + owner.getName()
                    + "', called from '" + t.getName() + "'");
        }
    }

    /** This process's task, enrolling first if needed; fails when it has ended or the VM is gone. */
    private SimTask current(String op) {
        if (task == null) {
            task = cluster.enroll(op);
        }
        cluster.checkAlive(task, op);
        return task;
    }

    private static PvmException badParam(String op, String why) {
        return new PvmException(op, PvmError.BAD_PARAM.code(), why);
    }

    @Override
    public int mytid() {
        checkThread();
        return current("pvm_mytid").tid;
    }

    @Override
    public OptionalInt parent() {
        checkThread();
        SimTask t = current("pvm_parent");
        return t.parentTid > 0 ? OptionalInt.of(t.parentTid) : OptionalInt.empty();
    }

    /** Like libpvm: the host part of any tid, without asking the pvmd. */
    @Override
    public int tidToHost(int tid) {
        checkThread();
        current("pvm_tidtohost(" + new TaskId(tid) + ")");
        return tid & TaskId.TIDHOST;
    }

    @Override
    public VmConfig config() {
        checkThread();
        return cluster.config(current("pvm_config"), "pvm_config");
    }

    @Override
    public List<TaskInfo> tasks(int where) {
        checkThread();
        String op = "pvm_tasks(" + Integer.toHexString(where) + ")";
        return cluster.tasks(current(op), op, where);
    }

    @Override
    public List<SpawnResult> spawn(String program, List<String> argv, int flags, String where, int count) {
        checkThread();
        String op = "pvm_spawn(" + program + ", where=" + where + ", count=" + count + ")";
        if (program == null || !program.startsWith("/")) {
            throw badParam(op, "the program must be an absolute path (pvm_spawn does not search PATH): " + program);
        }
        if (count <= 0) {
            throw badParam(op, "count must be positive, got " + count);
        }
        return cluster.spawn(current(op), op, program, argv == null ? List.of() : List.copyOf(argv), flags, where,
                count);
    }

    private void checkSendable(String op, int tag, byte[] data) {
        if (tag < 0) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        if (data.length > maxMessageBytes) {
            throw badParam(op, "message of " + data.length + " bytes exceeds the maximum message size of "
                    + maxMessageBytes + " bytes");
        }
    }

    @Override
    public void send(int tid, int tag, byte[] data) {
        checkThread();
        String op = "pvm_send(" + new TaskId(tid) + ", tag " + tag + ")";
        checkSendable(op, tag, data);
        SimTask me = current(op);
        if (!SimHost.isTask(tid)) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        cluster.send(me, op, new int[] {tid}, tag, data);
    }

    /** Like libpvm: each listed task once, never the caller itself. */
    @Override
    public void mcast(int[] tids, int tag, byte[] data) {
        checkThread();
        String op = "pvm_mcast(" + tids.length + " tasks, tag " + tag + ")";
        checkSendable(op, tag, data);
        SimTask me = current(op);
        if (Arrays.stream(tids).anyMatch(t -> !SimHost.isTask(t))) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        cluster.send(me, op, Arrays.stream(tids).distinct().filter(t -> t != me.tid).toArray(), tag, data);
    }

    @Override
    public Optional<Inbound> receive(int source, int tag, double timeoutSeconds) {
        checkThread();
        String op = "pvm_recv(" + source + ", " + tag + ")";
        return cluster.receive(current(op), op, source, tag, timeoutSeconds).map(this::sized);
    }

    /** As JnaPvm checks {@code pvm_bufinfo}: a message over this handle's maximum is refused unread. */
    private Inbound sized(Inbound in) {
        if (in instanceof Inbound.Message m && m.data().length > maxMessageBytes) {
            return new Inbound.Refused(m.source(), m.tag(), m.data().length, "message of " + m.data().length
                    + " bytes exceeds the maximum message size of " + maxMessageBytes + " bytes");
        }
        return in;
    }

    @Override
    public boolean probe(int source, int tag) {
        checkThread();
        String op = "pvm_probe(" + source + ", " + tag + ")";
        return cluster.probe(current(op), op, source, tag);
    }

    @Override
    public void notify(NotifyKind kind, int tag, int[] ids) {
        checkThread();
        String op = "pvm_notify(" + kind + ", tag " + tag + ")";
        SimTask me = current(op);
        if (tag < 0) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        if (kind != NotifyKind.HOST_ADD) {
            if (ids == null || ids.length == 0) {
                throw badParam(op, "no ids to watch");
            }
            if (kind == NotifyKind.TASK_EXIT && Arrays.stream(ids).anyMatch(t -> !SimHost.isTask(t))) {
                throw new PvmException(op + " " + Arrays.toString(ids), PvmError.BAD_PARAM.code());
            }
        }
        cluster.notify(me, op, kind, tag, ids == null ? new int[0] : ids.clone());
    }

    @Override
    public void kill(int tid) {
        checkThread();
        String op = "pvm_kill(" + new TaskId(tid) + ")";
        SimTask me = current(op);
        if (!SimHost.isTask(tid)) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        cluster.kill(me, op, tid);
    }

    @Override
    public void sendSignal(int tid, int signal) {
        checkThread();
        String op = "pvm_sendsig(" + new TaskId(tid) + ", " + signal + ")";
        SimTask me = current(op);
        if (!SimHost.isTask(tid)) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        if (signal < 1 || signal > 64) {
            throw new PvmException(op, PvmError.BAD_PARAM.code(), "no signal number " + signal);
        }
        cluster.signal(me, op, tid, signal);
    }

    @Override
    public PvmError taskStatus(int tid) {
        checkThread();
        String op = "pvm_pstat(" + new TaskId(tid) + ")";
        SimTask me = current(op);
        if (!SimHost.isTask(tid)) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        return cluster.taskStatus(me, op, tid);
    }

    @Override
    public void exit() {
        checkThread();
        if (task != null && task.alive) {
            cluster.exit(task);
        }
        if (!spawned) {
            task = null; // an enrolled process may enroll again, with a new tid
        }
    }

    /** Accepted; a simulated task's output is this JVM's, so nothing is forwarded. */
    @Override
    public void catchOutput(boolean on) {
        checkThread();
        current("pvm_catchout");
    }

    @Override
    public int setOption(PvmOption option, int value) {
        checkThread();
        String op = "pvm_setopt(" + option + ", " + value + ")";
        if (option != PvmOption.AUTO_ERR) {
            current(op);
        }
        boolean bad = switch (option) {
            case ROUTE -> value < PvmOption.DONT_ROUTE || value > PvmOption.ROUTE_DIRECT;
            case FRAG_SIZE -> value <= 0;
            case OUTPUT_TID, SELF_OUTPUT_TID -> value < 0;
            default -> false;
        };
        if (bad) {
            throw new PvmException(op, PvmError.BAD_PARAM.code());
        }
        return options.put(option, value);
    }

    @Override
    public InboundWatcher watchInbound(Runnable onReadable) {
        checkThread();
        return new SimInboundWatcher(onReadable);
    }

    @Override
    public List<HostResult> addHosts(List<String> hosts) {
        checkThread();
        String op = "pvm_addhosts" + hosts;
        return hosts.isEmpty() ? List.of() : cluster.addHosts(current(op), op, List.copyOf(hosts));
    }

    @Override
    public List<HostResult> deleteHosts(List<String> hosts) {
        checkThread();
        String op = "pvm_delhosts" + hosts;
        return hosts.isEmpty() ? List.of() : cluster.deleteHosts(current(op), op, List.copyOf(hosts));
    }

    @Override
    public void halt() {
        checkThread();
        cluster.halt(current("pvm_halt"), "pvm_halt");
        if (!spawned) {
            task = null;
        }
    }

    /** {@return true while enrolled: after the first call and before {@link #exit()} or the end of the task} */
    public boolean isEnrolled() {
        return task != null && task.alive;
    }

    /** Calls back when the current task of this handle has a message waiting. */
    private final class SimInboundWatcher implements InboundWatcher {
        private final Runnable callback;
        private volatile SimTask armedOn;
        private volatile boolean closed;

        SimInboundWatcher(Runnable onReadable) {
            this.callback = () -> {
                if (!closed) {
                    onReadable.run();
                }
            };
        }

        @Override
        public void arm() {
            checkThread();
            if (!closed) {
                armedOn = task;
                cluster.arm(task, callback);
            }
        }

        @Override
        public void disarm() {
            cluster.disarm(armedOn, callback);
        }

        @Override
        public void close() {
            closed = true;
            disarm();
        }
    }
}
