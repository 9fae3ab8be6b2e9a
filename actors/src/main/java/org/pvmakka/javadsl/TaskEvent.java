package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * What the owner of a spawn learns about it, in this order per task: {@link MsgTaskStarted} first (when the spec
 * asks for it, {@link SpawnSpec#withStartedEvents}), then its messages, its output (debug mode), its result (when asked to send back) and, last of all and exactly once, its
 * {@link MsgTaskExit}. A spawn that starts no task, or only some, also tells the owner with {@link MsgSpawnFailed}.
 * Every event carries the spawn's correlation key ({@link SpawnSpec#withCorrelation}), null when none was given.
 */
public sealed interface TaskEvent permits MsgTaskStarted, TaskMessage, MsgTaskResult, MsgTaskOutput, MsgTaskExit,
        MsgSpawnFailed {
    /** {@return the task this event is about ({@link TaskId#INVALID} for {@link MsgSpawnFailed})} */
    TaskId taskId();

    /** {@return the correlation key of the spawn that started the task, or null} */
    Object correlation();
}
