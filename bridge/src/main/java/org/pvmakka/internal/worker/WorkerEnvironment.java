package org.pvmakka.internal.worker;

import java.io.PrintStream;

/**
 * What a {@link WorkerRuntime} needs from the process it runs in: facts about its host, threads,
 * a way to end the task at once, and where diagnostics go. A worker JVM uses
 * {@link #ofThisJvm()}; the simulator runs the same worker code on a thread of the test JVM.
 */
public interface WorkerEnvironment {

    /** The name of the host the task runs on. */
    String hostName();

    /** The CPU cores available to a task on this host. */
    int availableCores();

    /** A new, not yet started thread for the task function. */
    Thread newThread(Runnable body, String name);

    /**
     * Ends the task at once with this exit code, without sending anything more. A worker JVM halts
     * and never returns; an in-process task may return, and the worker then unwinds.
     */
    void halt(int code);

    /** Where the worker writes diagnostics. */
    PrintStream err();

    /** The environment of a worker JVM started by {@code pvm_spawn}. */
    static WorkerEnvironment ofThisJvm() {
        return new JvmWorkerEnvironment();
    }
}
