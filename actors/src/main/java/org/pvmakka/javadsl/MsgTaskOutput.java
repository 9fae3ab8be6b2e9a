package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * Output a task wrote to stdout or stderr, forwarded in debug mode.
 *
 * @param taskId the task
 * @param text the text, usually one or more lines
 */
public record MsgTaskOutput(TaskId taskId, String text) implements TaskEvent {
}
