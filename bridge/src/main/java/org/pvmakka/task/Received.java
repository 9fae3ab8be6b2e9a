package org.pvmakka.task;

/**
 * A message a task received: PyOPUS's {@code (source, message)} pair.
 *
 * @param sender the task that sent it
 * @param message the decoded object (a registered wire type)
 */
public record Received(TaskId sender, Object message) {
}
