package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * Output a task wrote to stdout or stderr, forwarded in debug mode.
 *
 * @param taskId the task
 * @param text the text, usually one or more lines
 * @param correlation the correlation key of the task's spawn, or null
 */
public record MsgTaskOutput(TaskId taskId, String text, Object correlation) implements TaskEvent {
    /**
     * Output without a correlation key.
     *
     * @param taskId the task
     * @param text the text
     */
    public MsgTaskOutput(TaskId taskId, String text) {
        this(taskId, text, null);
    }
}
