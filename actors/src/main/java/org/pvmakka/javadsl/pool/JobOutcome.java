package org.pvmakka.javadsl.pool;

import org.pvmakka.task.HostId;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;

/**
 * The one outcome of a {@link Job}.
 *
 * @param index the job's index
 * @param key the job's key (may be null)
 * @param success true when the function returned normally
 * @param value what it returned (null on failure)
 * @param error why it failed: the function's exception, or (when {@code cause} is not
 *     {@link Cause#RAN}) what ended the job; null on success
 * @param cause {@link Cause#RAN} when the function ran to its end (returned or threw), else why it did not
 * @param host the host of the last attempt (null if it never ran)
 * @param task the worker task of the last attempt (null if it never ran)
 * @param attempts how many times it was handed to a worker
 */
public record JobOutcome(long index, String key, boolean success, Object value, RemoteError error, Cause cause,
        HostId host, TaskId task, int attempts) {

    /** How a job ended. */
    public enum Cause {
        /** The function ran: it returned ({@code success}) or threw ({@code error}). */
        RAN,
        /** Its worker died (its JVM exited or was killed) and no attempt was left. */
        WORKER_DIED,
        /** Its worker's host left the VM and no attempt was left. */
        HOST_LOST,
        /** It ran longer than its time-out: its worker was killed. */
        TIMED_OUT,
        /** The pool's queue was full: it was refused. */
        QUEUE_FULL,
        /** The runtime refused to send it (for example an unregistered argument). */
        REJECTED,
        /** The pool has no worker and cannot start one. */
        NO_WORKERS,
        /** The pool was shut down before it ran. */
        POOL_SHUT_DOWN
    }

    /**
     * The value, or an {@link IllegalStateException} naming the error.
     *
     * @return what the function returned
     * @throws IllegalStateException when the job failed, naming its index, key, cause and error
     */
    public Object get() {
        if (!success) {
            throw new IllegalStateException("job " + index + (key != null ? " (" + key + ")" : "") + " failed (" + cause
                    + "): " + error);
        }
        return value;
    }
}
