package org.pvmakka.javadsl;

import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;

/**
 * The outcome of a spawned function, sent by the worker to its spawner when asked to send back.
 *
 * @param taskId the task that ran the function
 * @param success true when the function returned normally
 * @param value what it returned (a registered type, or null); null on failure
 * @param error why it failed; null on success
 * @param correlation the correlation key of the task's spawn, or null
 */
public record MsgTaskResult(TaskId taskId, boolean success, Object value, RemoteError error, Object correlation)
        implements TaskEvent {
    public MsgTaskResult {
        if (taskId == null) {
            throw new IllegalArgumentException("taskId is required");
        }
        if (success && error != null) {
            throw new IllegalArgumentException("a successful result has no error");
        }
        if (!success && error == null) {
            throw new IllegalArgumentException("a failed result needs an error");
        }
    }

    /** A result without a correlation key. */
    public MsgTaskResult(TaskId taskId, boolean success, Object value, RemoteError error) {
        this(taskId, success, value, error, null);
    }

    /** This result with a correlation key. */
    public MsgTaskResult withCorrelation(Object key) {
        return new MsgTaskResult(taskId, success, value, error, key);
    }

    /** A successful result. */
    public static MsgTaskResult success(TaskId taskId, Object value) {
        return new MsgTaskResult(taskId, true, value, null);
    }

    /** A failed result. */
    public static MsgTaskResult failure(TaskId taskId, RemoteError error) {
        return new MsgTaskResult(taskId, false, null, error);
    }
}
