package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * A user message received from a task: PyOPUS's {@code (sender, message)} pair.
 *
 * @param sender the task that sent it
 * @param message the decoded object
 */
public record TaskMessage(TaskId sender, Object message) implements TaskEvent {
    @Override
    public TaskId taskId() {
        return sender;
    }
}
