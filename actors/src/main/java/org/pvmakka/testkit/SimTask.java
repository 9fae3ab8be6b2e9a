package org.pvmakka.testkit;

import java.util.LinkedHashSet;
import java.util.Set;
import org.pvmakka.task.TaskId;

/** One task of a {@link SimulatedCluster}: an enrolled process or a spawned worker; guarded by the cluster's lock. */
final class SimTask {
    /** {@code pvm_tasks} flags of a task pvmd spawned, as PVM 3.4.6 reports them. */
    static final int FLAGS_SPAWNED = 2;
    /** {@code pvm_tasks} flags of a process that enrolled itself, as PVM 3.4.6 reports them. */
    static final int FLAGS_ENROLLED = 4;

    final int tid;
    final int parentTid;
    final SimHost host;
    final String name;
    final int flags;
    final Mailbox mailbox;
    /** Threads to interrupt when the task is killed (only those the simulator started). */
    final Set<Thread> threads = new LinkedHashSet<>();
    volatile boolean alive = true;
    /** Whether SIGTERM ({@code pvm_kill}) leaves it running, as a JVM whose handler ignores TERM. */
    boolean ignoresSigterm;
    /** Why it ended ("exited", "was killed ..."), for the errors its handle reports afterwards. */
    String endReason = "";

    SimTask(int tid, int parentTid, SimHost host, String name, int flags, Mailbox mailbox) {
        this.tid = tid;
        this.parentTid = parentTid;
        this.host = host;
        this.name = name;
        this.flags = flags;
        this.mailbox = mailbox;
    }

    boolean spawned() {
        return flags == FLAGS_SPAWNED;
    }

    @Override
    public String toString() {
        return new TaskId(tid).toString();
    }
}
