package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * What the owner of a spawned task learns about it: its messages, its result (when asked to
 * send back), its output (debug mode) and, last of all and exactly once, its exit.
 */
public sealed interface TaskEvent permits TaskMessage, MsgTaskResult, MsgTaskOutput, MsgTaskExit {
    /** The task this event is about. */
    TaskId taskId();
}
