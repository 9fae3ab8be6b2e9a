package org.pvmakka.internal.wire;

/**
 * Runtime to worker ({@link WireTags#CREDIT}): this many of the task's messages to its parent, of this many encoded
 * bytes in all, are no longer in flight; the task may send that much more.
 */
public record Credit(int messages, long bytes) {
}
