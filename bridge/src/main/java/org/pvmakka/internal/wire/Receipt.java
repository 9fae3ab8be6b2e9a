package org.pvmakka.internal.wire;

/** Worker to runtime ({@link WireTags#RECEIPT}): the {@link Delivery} {@code seq} is in the task's inbox. */
public record Receipt(long seq) {
}
