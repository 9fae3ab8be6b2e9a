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
    /**
     * Checks the result.
     *
     * @param taskId the task that ran the function
     * @param success true when the function returned normally
     * @param value what it returned (a registered type, or null); null on failure
     * @param error why it failed; null on success
     * @param correlation the correlation key of the task's spawn, or null
     * @throws IllegalArgumentException without a task ID, for a success with an error, or a failure without one
     */
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

    /**
     * A result without a correlation key.
     *
     * @param taskId the task that ran the function
     * @param success true when the function returned normally
     * @param value what it returned, null on failure
     * @param error why it failed, null on success
     */
    public MsgTaskResult(TaskId taskId, boolean success, Object value, RemoteError error) {
        this(taskId, success, value, error, null);
    }

    /**
     * This result with a correlation key.
     *
     * @param key the spawn's correlation key, or null
     * @return a copy carrying {@code key}
     */
    public MsgTaskResult withCorrelation(Object key) {
        return new MsgTaskResult(taskId, success, value, error, key);
    }

    /**
     * A successful result.
     *
     * @param taskId the task that ran the function
     * @param value what it returned, or null
     * @return the result, without a correlation key
     */
    public static MsgTaskResult success(TaskId taskId, Object value) {
        return new MsgTaskResult(taskId, true, value, null);
    }

    /**
     * A failed result.
     *
     * @param taskId the task that ran the function
     * @param error why it failed
     * @return the result, without a correlation key
     */
    public static MsgTaskResult failure(TaskId taskId, RemoteError error) {
        return new MsgTaskResult(taskId, false, null, error);
    }
}
