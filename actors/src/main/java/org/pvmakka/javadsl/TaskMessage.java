package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * A user message received from a task: PyOPUS's {@code (sender, message)} pair.
 *
 * @param sender the task that sent it
 * @param message the decoded object
 * @param correlation the correlation key of the sender's spawn, or null
 */
public record TaskMessage(TaskId sender, Object message, Object correlation) implements TaskEvent {
    /**
     * A message without a correlation key.
     *
     * @param sender the task that sent it
     * @param message the decoded object
     */
    public TaskMessage(TaskId sender, Object message) {
        this(sender, message, null);
    }

    /** {@return the sender} */
    @Override
    public TaskId taskId() {
        return sender;
    }
}
