package org.pvmakka.javadsl;

import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;

/**
 * The first event of every spawned task, sent before any other event of that task (so an owner never sees a
 * message, result or exit of a task it has not been told about, whatever the order of the spawn's reply).
 *
 * @param taskId the new task
 * @param host where it runs
 * @param function the task function's class name
 * @param correlation the correlation key of its spawn, or null
 */
public record MsgTaskStarted(TaskId taskId, HostId host, String function, Object correlation) implements TaskEvent {
}
