package org.pvmakka.internal.actors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Sends whose sender waits for the task's receipt ({@code PvmCommand.SendAndConfirm}), without actors: each gets a
 * sequence number; a receipt from the task it went to completes it; the task's end (or the VM's) fails what is left.
 *
 * @param <R> whom to answer
 */
final class DeliveryTracker<R> {
    private record Pending<R>(int tid, R replyTo) {
    }

    private final Map<Long, Pending<R>> pending = new HashMap<>();
    private long nextSeq = 1;

    /** A delivery to {@code tid} is about to be sent: its sequence number. */
    long register(int tid, R replyTo) {
        long seq = nextSeq++;
        pending.put(seq, new Pending<>(tid, replyTo));
        return seq;
    }

    /** The send failed: forget it. */
    void cancel(long seq) {
        pending.remove(seq);
    }

    /** {@code tid} confirmed {@code seq}: whom to answer, or null (unknown, or not sent to {@code tid}). */
    R received(int tid, long seq) {
        Pending<R> p = pending.get(seq);
        if (p == null || p.tid() != tid) {
            return null;
        }
        pending.remove(seq);
        return p.replyTo();
    }

    /** {@code tid} ended: whom to answer with an error. */
    List<R> ended(int tid) {
        List<R> out = new ArrayList<>();
        for (Iterator<Pending<R>> it = pending.values().iterator(); it.hasNext(); ) {
            Pending<R> p = it.next();
            if (p.tid() == tid) {
                out.add(p.replyTo());
                it.remove();
            }
        }
        return out;
    }

    /** Everything pending (the VM is gone). */
    List<R> clear() {
        List<R> out = new ArrayList<>();
        pending.values().forEach(p -> out.add(p.replyTo()));
        pending.clear();
        return out;
    }

    int size() {
        return pending.size();
    }
}
