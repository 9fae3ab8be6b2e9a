package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * The last event of every spawned task, sent exactly once.
 *
 * @param taskId the task
 * @param cause why it ended
 * @param detail a human-readable explanation (may be empty)
 * @param correlation the correlation key of the task's spawn, or null
 */
public record MsgTaskExit(TaskId taskId, Cause cause, String detail, Object correlation) implements TaskEvent {

    /** Why a task ended. */
    public enum Cause {
        /** It finished; its result (if it was asked to send one back) came before this. */
        EXITED,
        /** It ended without sending the result it was asked for (its JVM died or was killed). */
        NO_RESULT,
        /**
         * It was killed through the runtime (KillTask, KillAll, or its owner stopped): SIGTERM,
         * then SIGKILL after {@code pvm-akka.kill-grace}.
         */
        KILLED,
        /** Its host failed or was deleted from the VM. */
        HOST_LOST,
        /** The runtime lost its pvmd. */
        VM_LOST,
        /** It ran longer than its spawn's time limit ({@link SpawnSpec#withTimeLimit}) and was killed. */
        TIME_LIMIT
    }

    /**
     * An exit without a correlation key.
     *
     * @param taskId the task
     * @param cause why it ended
     * @param detail a human-readable explanation, may be null (empty)
     */
    public MsgTaskExit(TaskId taskId, Cause cause, String detail) {
        this(taskId, cause, detail, null);
    }

    /**
     * A null detail becomes empty.
     *
     * @param taskId the task
     * @param cause why it ended
     * @param detail a human-readable explanation (may be empty)
     * @param correlation the correlation key of the task's spawn, or null
     */
    public MsgTaskExit {
        detail = detail == null ? "" : detail;
    }
}
