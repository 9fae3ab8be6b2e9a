package org.pvmakka.task;

import java.util.Optional;
import org.pvmakka.task.Received;

/** What a running {@link TaskFunction} knows and can do. Thread-safe. */
public interface TaskContext {
    /** {@return this task's ID} */
    TaskId taskId();

    /** {@return the spawner's task ID} */
    TaskId parentId();

    /** {@return the host this task runs on} */
    HostId hostId();

    /**
     * {@return the CPU cores available to this task on its host: {@code Runtime.availableProcessors()} in a
     * worker JVM, the declared cores on a simulated host}
     */
    int availableCores();

    /**
     * Sends a registered object to a task (the parent or any other) with the user-message tag.
     *
     * @param to the destination task
     * @param message an instance of a registered wire type
     * @throws org.pvmakka.task.WireException if it cannot be encoded
     * @throws org.pvmakka.task.PvmException if PVM refuses (e.g. no such task)
     */
    void send(TaskId to, Object message);

    /**
     * Receives the next user message, PyOPUS style.
     *
     * @param timeoutSeconds negative blocks, 0 polls, above 0 waits at most that long
     * @return the sender and message, or empty on time-out
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    Optional<Received> receive(double timeoutSeconds) throws InterruptedException;
}
