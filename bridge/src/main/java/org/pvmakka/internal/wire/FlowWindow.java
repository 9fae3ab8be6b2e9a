package org.pvmakka.internal.wire;

/**
 * A task's credit window for user messages to its parent (the runtime), sent in its {@link SpawnRequest}: at most
 * {@code messages} messages and {@code bytes} encoded bytes may be on their way (sent and not yet credited back with a
 * {@link Credit}); one message larger than {@code bytes} goes alone. A send that finds the window full waits at most
 * {@code sendTimeoutMillis}.
 *
 * @param messages the most messages in flight (at least 1)
 * @param bytes the most encoded bytes in flight (at least 1)
 * @param sendTimeoutMillis how long a send waits for credit (at least 1)
 * @param ownerConfirms true: credit comes back when the owner confirms what it handled; false: when the runtime has
 *     handed the message to the owner's mailbox
 */
public record FlowWindow(int messages, long bytes, long sendTimeoutMillis, boolean ownerConfirms) {
    public FlowWindow {
        if (messages < 1 || bytes < 1 || sendTimeoutMillis < 1) {
            throw new IllegalArgumentException("a flow window needs at least 1 message, 1 byte and 1 ms, got "
                    + messages + " messages, " + bytes + " bytes, " + sendTimeoutMillis + " ms");
        }
    }
}
