package org.pvmakka.internal.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.wire.MessageBatch;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.task.PvmException;

class SendCoalescerTest {
    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    record Sent(int tid, int tag, byte[] data) {
    }

    final List<Sent> sent = new ArrayList<>();
    int failFor = -1;
    final SendCoalescer c = new SendCoalescer((tid, tag, data) -> {
        if (tid == failFor) {
            throw new PvmException("pvm_send", -31, "no such task");
        }
        sent.add(new Sent(tid, tag, data));
    });

    /** The user messages of what was sent to {@code tid}, in order. */
    List<Integer> firstBytesTo(int tid) {
        List<Integer> out = new ArrayList<>();
        for (Sent s : sent) {
            if (s.tid() != tid) {
                continue;
            }
            if (s.tag() == WireTags.USER) {
                out.add((int) s.data()[0]);
            } else {
                MessageBatch.forEach(s.data(), (d, off, len) -> out.add((int) d[off]));
            }
        }
        return out;
    }

    static byte[] msg(int first, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) first;
        return b;
    }

    @Test
    void smallMessagesWaitForTheFlushAndGoAsOneBatchPerTask() {
        assertFalse(c.add(1, msg(1, 10), null));
        assertFalse(c.add(2, msg(2, 10), null));
        assertFalse(c.add(1, msg(3, 10), null));
        assertTrue(sent.isEmpty());
        assertTrue(c.flush());
        assertTrue(c.isEmpty());
        assertEquals(2, sent.size());
        assertEquals(WireTags.USER_BATCH, sent.get(0).tag());
        assertEquals(List.of(1, 3), firstBytesTo(1));
        assertEquals(WireTags.USER, sent.get(1).tag(), "a lone message goes as a plain user message");
        assertArrayEquals(msg(2, 10), sent.get(1).data());
        assertFalse(c.flush(), "nothing left");
    }

    @Test
    void bigMessagesGoAloneAtOnceAfterWhatIsQueuedForTheirTask() {
        c.add(1, msg(1, 10), null);
        c.add(2, msg(2, 10), null);
        assertTrue(c.add(1, msg(3, SendCoalescer.SOLO_BYTES), null));
        assertEquals(List.of(1, 3), firstBytesTo(1), "queued first, then the big one");
        assertEquals(List.of(), firstBytesTo(2), "other tasks keep waiting for the flush");
        c.flush();
        assertEquals(List.of(2), firstBytesTo(2));
    }

    @Test
    void aFullBatchIsSentAndANewOneStarted() {
        int size = 1000;
        int perBatch = 0;
        while (MessageBatch.size(perBatch + 1, (long) (perBatch + 1) * size) <= SendCoalescer.MAX_BATCH_BYTES) {
            perBatch++;
        }
        boolean sentEarly = false;
        for (int i = 0; i <= perBatch; i++) {
            sentEarly |= c.add(1, msg(i, size), null);
        }
        assertTrue(sentEarly);
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).data().length <= SendCoalescer.MAX_BATCH_BYTES);
        c.flush();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i <= perBatch; i++) {
            expected.add((int) (byte) i);
        }
        assertEquals(expected, firstBytesTo(1));
    }

    @Test
    void everySenderIsAnsweredWhenItsMessageWasSentOrFailed() {
        TestProbe<StatusReply<Done>> ok = KIT.createTestProbe();
        TestProbe<StatusReply<Done>> bad = KIT.createTestProbe();
        failFor = 9;
        c.add(1, msg(1, 10), ok.getRef());
        c.add(9, msg(2, 10), bad.getRef());
        c.add(9, msg(3, 10), bad.getRef());
        ok.expectNoMessage(java.time.Duration.ofMillis(50));
        c.flush();
        assertTrue(ok.receiveMessage().isSuccess());
        for (int i = 0; i < 2; i++) {
            StatusReply<Done> r = bad.receiveMessage();
            assertTrue(r.isError());
            assertTrue(r.getError().getMessage().contains("no such task"), r.getError().getMessage());
        }
        c.add(1, msg(4, 10), ok.getRef());
        c.failAll("lost the PVM daemon");
        assertTrue(ok.receiveMessage().getError().getMessage().contains("lost the PVM daemon"));
        assertTrue(c.isEmpty());
        assertEquals(1, sent.size(), Arrays.toString(sent.toArray()));
    }
}
