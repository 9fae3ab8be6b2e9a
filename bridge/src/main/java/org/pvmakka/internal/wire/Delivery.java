package org.pvmakka.internal.wire;

/**
 * Runtime to worker ({@link WireTags#DELIVER}): a user message whose receipt the sender wants; the worker puts
 * {@code message} in the task's inbox and answers with a {@link Receipt} of {@code seq}.
 */
public record Delivery(long seq, Object message) {
}
