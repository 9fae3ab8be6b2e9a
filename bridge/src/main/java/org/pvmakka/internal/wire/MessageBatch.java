package org.pvmakka.internal.wire;

import java.nio.ByteBuffer;
import java.util.List;
import org.pvmakka.task.WireException;

/**
 * Several encoded user messages for one task in one PVM message ({@link WireTags#USER_BATCH}):
 * the runtime coalesces the small messages that queue up for a task while it is busy, so a stream
 * of them costs one {@code pvm_send} per batch instead of one per message. Layout (big-endian):
 * {@code int count}, then per message {@code int length} and its bytes. Order is kept.
 */
public final class MessageBatch {
    private MessageBatch() {
    }

    /** Receives one message of a batch: {@code length} bytes of {@code data} at {@code offset}. */
    @FunctionalInterface
    public interface Element {
        void accept(byte[] data, int offset, int length);
    }

    /** The size of a batch of messages with {@code count} messages of {@code bytes} bytes in all. */
    public static int size(int count, long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, 4 + 4L * count + bytes);
    }

    /** Packs encoded messages, in order. */
    public static byte[] pack(List<byte[]> messages) {
        long bytes = 0;
        for (byte[] m : messages) {
            bytes += m.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size(messages.size(), bytes));
        b.putInt(messages.size());
        for (byte[] m : messages) {
            b.putInt(m.length).put(m);
        }
        return b.array();
    }

    /**
     * Hands each message of a batch to {@code element}, in order, after checking the layout.
     *
     * @throws WireException when the batch is malformed (then no message is handed over)
     */
    public static void forEach(byte[] batch, Element element) {
        ByteBuffer b = ByteBuffer.wrap(batch);
        int count = check(b, "count");
        // check the whole layout first: a malformed batch delivers nothing rather than a prefix
        for (int i = 0; i < count; i++) {
            int length = check(b, "length of message " + i);
            if (length > b.remaining()) {
                throw new WireException("malformed message batch: message " + i + " of " + count + " claims " + length
                        + " bytes, " + b.remaining() + " left");
            }
            b.position(b.position() + length);
        }
        if (b.hasRemaining()) {
            throw new WireException("malformed message batch: " + b.remaining() + " trailing bytes");
        }
        b.position(4);
        for (int i = 0; i < count; i++) {
            int length = b.getInt();
            element.accept(batch, b.position(), length);
            b.position(b.position() + length);
        }
    }

    private static int check(ByteBuffer b, String what) {
        if (b.remaining() < 4) {
            throw new WireException("malformed message batch: no " + what);
        }
        int v = b.getInt();
        if (v < 0) {
            throw new WireException("malformed message batch: negative " + what + " " + v);
        }
        return v;
    }
}
