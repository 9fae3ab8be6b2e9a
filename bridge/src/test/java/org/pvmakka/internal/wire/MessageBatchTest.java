package org.pvmakka.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.task.WireException;

class MessageBatchTest {
    static List<byte[]> unpack(byte[] batch) {
        List<byte[]> out = new ArrayList<>();
        MessageBatch.forEach(batch, (d, off, len) -> out.add(Arrays.copyOfRange(d, off, off + len)));
        return out;
    }

    @Test
    void messagesComeOutInOrderAndIntact() {
        List<byte[]> in = List.of(new byte[] {1}, new byte[0], new byte[] {2, 3, 4}, new byte[1000]);
        byte[] batch = MessageBatch.pack(in);
        assertEquals(MessageBatch.size(4, 1004), batch.length);
        List<byte[]> out = unpack(batch);
        assertEquals(in.size(), out.size());
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(in.get(i), out.get(i));
        }
        assertTrue(unpack(MessageBatch.pack(List.of())).isEmpty());
    }

    @Test
    void encodedObjectsDecodeInPlace() {
        WireCodec codec = WireCodec.defaults();
        List<Object> objects = List.of("a", 42, List.of(1, 2), new long[] {7, 8});
        List<byte[]> encoded = objects.stream().map(codec::encode).toList();
        List<Object> decoded = new ArrayList<>();
        MessageBatch.forEach(MessageBatch.pack(encoded), (d, off, len) -> decoded.add(codec.decode(d, off, len)));
        assertEquals(objects.subList(0, 3), decoded.subList(0, 3));
        assertArrayEquals(new long[] {7, 8}, (long[]) decoded.get(3));
    }

    @Test
    void malformedBatchesDeliverNothing() {
        byte[] good = MessageBatch.pack(List.of(new byte[] {1, 2}, new byte[] {3}));
        List<byte[]> seen = new ArrayList<>();
        MessageBatch.Element collect = (d, off, len) -> seen.add(d);
        assertThrows(WireException.class, () -> MessageBatch.forEach(new byte[2], collect));
        assertThrows(WireException.class, () -> MessageBatch.forEach(Arrays.copyOf(good, good.length - 1), collect));
        assertThrows(WireException.class, () -> MessageBatch.forEach(Arrays.copyOf(good, good.length + 1), collect));
        byte[] lies = good.clone();
        ByteBuffer.wrap(lies).putInt(4, 1_000_000); // first length far beyond the end
        assertThrows(WireException.class, () -> MessageBatch.forEach(lies, collect));
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putInt(0, -1);
        assertThrows(WireException.class, () -> MessageBatch.forEach(negative, collect));
        assertTrue(seen.isEmpty(), "no prefix of a malformed batch is delivered");
    }

    @Test
    void decodingAtAnOffsetChecksTheBounds() {
        WireCodec codec = WireCodec.defaults();
        byte[] one = codec.encode("hello");
        byte[] padded = new byte[one.length + 10];
        System.arraycopy(one, 0, padded, 5, one.length);
        assertEquals("hello", codec.decode(padded, 5, one.length));
        assertThrows(WireException.class, () -> codec.decode(padded, 5, one.length - 1));
        assertThrows(WireException.class, () -> codec.decode(padded, 5, one.length + 2));
    }
}
