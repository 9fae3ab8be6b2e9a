package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * A task this runtime spawned and that has not ended yet.
 *
 * @param id the task
 * @param hostDtid its host
 * @param function the task function's class name
 * @param owner the path of the actor that owns the task (gets its events)
 */
public record TaskStatus(TaskId id, int hostDtid, String function, String owner) {
}
