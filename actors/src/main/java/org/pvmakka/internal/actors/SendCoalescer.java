package org.pvmakka.internal.actors;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.internal.wire.MessageBatch;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.task.PvmException;

/**
 * The bridge's outgoing user messages to its workers, coalesced: small messages for one task are
 * queued while the bridge works through its mailbox and go out together when it is flushed, as one
 * {@link WireTags#USER_BATCH} PVM message (a lone message goes out as a plain {@link WireTags#USER}
 * one). A stream of small messages then costs one {@code pvm_send} per batch, not one per message.
 * Order per task is kept: a message that must go alone (from {@link #SOLO_BYTES}) or that would
 * overfill the batch first sends what is queued for its task. Each sender's reply comes when its
 * message has really been sent (or failed). Not thread-safe: the bridge's thread only.
 */
final class SendCoalescer {
    /** A batch is at most one 64 KiB fragment. */
    static final int MAX_BATCH_BYTES = 64 * 1024;
    /** Messages from this size on are not copied into a batch: they go alone, at once. */
    static final int SOLO_BYTES = 8 * 1024;

    /** Sends one PVM message; throws {@link PvmException} when it cannot. */
    @FunctionalInterface
    interface Sender {
        void send(int tid, int tag, byte[] data);
    }

    private static final class Queued {
        final List<byte[]> messages = new ArrayList<>();
        final List<ActorRef<StatusReply<Done>>> replies = new ArrayList<>();
        long bytes;
    }

    private final Sender sender;
    private final Map<Integer, Queued> queued = new LinkedHashMap<>();
    private long batches;
    private long batched;

    SendCoalescer(Sender sender) {
        this.sender = sender;
    }

    /**
     * Queues an encoded message for a task that understands batches (a worker of this runtime),
     * or sends it at once when it is too big to batch.
     *
     * @return true when a PVM call was made (the bridge then drains what it may have pulled in)
     */
    boolean add(int tid, byte[] message, ActorRef<StatusReply<Done>> replyTo) {
        boolean sent = false;
        Queued q = queued.get(tid);
        if (q != null && (message.length >= SOLO_BYTES
                || MessageBatch.size(q.messages.size() + 1, q.bytes + message.length) > MAX_BATCH_BYTES)) {
            queued.remove(tid);
            send(tid, q);
            sent = true;
            q = null;
        }
        if (message.length >= SOLO_BYTES) {
            Queued alone = new Queued();
            alone.messages.add(message);
            alone.replies.add(replyTo);
            send(tid, alone);
            return true;
        }
        if (q == null) {
            q = new Queued();
            queued.put(tid, q);
        }
        q.messages.add(message);
        q.replies.add(replyTo);
        q.bytes += message.length;
        return sent;
    }

    /** True when nothing waits. */
    boolean isEmpty() {
        return queued.isEmpty();
    }

    /**
     * Sends everything queued, task by task in the order they were first queued.
     *
     * @return true when a PVM call was made
     */
    boolean flush() {
        boolean sent = false;
        for (Iterator<Map.Entry<Integer, Queued>> it = queued.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Queued> e = it.next();
            it.remove();
            send(e.getKey(), e.getValue());
            sent = true;
        }
        return sent;
    }

    /** Fails everything queued with {@code reason} (the PVM is gone). */
    void failAll(String reason) {
        for (Queued q : queued.values()) {
            reply(q, StatusReply.error(reason));
        }
        queued.clear();
    }

    /** PVM messages that carried more than one user message, and how many user messages they carried. */
    long[] counters() {
        return new long[] {batches, batched};
    }

    private void send(int tid, Queued q) {
        try {
            if (q.messages.size() == 1) {
                sender.send(tid, WireTags.USER, q.messages.get(0));
            } else {
                sender.send(tid, WireTags.USER_BATCH, MessageBatch.pack(q.messages));
                batches++;
                batched += q.messages.size();
            }
            reply(q, StatusReply.ack());
        } catch (PvmException e) {
            reply(q, StatusReply.error(e.getMessage()));
        }
    }

    private static void reply(Queued q, StatusReply<Done> r) {
        for (ActorRef<StatusReply<Done>> to : q.replies) {
            if (to != null) {
                to.tell(r);
            }
        }
    }
}
