package org.pvmakka.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.task.TaskId;

/**
 * Carries messages between simulated tasks: one FIFO channel per (sender, receiver) pair, as PVM
 * keeps the order of messages between two tasks. With {@link #setDelays delays} each message from a
 * task waits a random time drawn from that sender's own stream of the seeded generator (so the
 * n-th message of a task gets the same delay in every run with the same seed), but never overtakes
 * an earlier message of the same channel. A channel whose sender or receiver host is unresponsive
 * holds its messages until both answer again. Guarded by the cluster's lock.
 */
final class Network {

    /** Where messages go: the cluster. */
    interface Endpoints {
        /** True while a message from {@code from} to {@code to} cannot move (an unresponsive host). */
        boolean held(int from, int to);

        /** Hands a message to its receiver (dropped when the receiver does not exist). */
        void deliver(int to, Inbound in);

        void journal(String entry);
    }

    private record Pending(Inbound message, long due) {
    }

    private static final class Channel {
        final int from;
        final int to;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        long lastDue;

        Channel(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    private final ReentrantLock lock;
    private final ScheduledExecutorService clock;
    private final Endpoints endpoints;
    private final long seed;
    private final Map<Long, Channel> channels = new HashMap<>();
    private final Map<Integer, Random> streams = new HashMap<>();
    private long minNanos;
    private long maxNanos;

    Network(ReentrantLock lock, ScheduledExecutorService clock, Endpoints endpoints, long seed) {
        this.lock = lock;
        this.clock = clock;
        this.endpoints = endpoints;
        this.seed = seed;
    }

    void setDelays(Duration min, Duration max) {
        minNanos = min.toNanos();
        maxNanos = max.toNanos();
    }

    /**
     * Sends a message over the channel {@code from -> to}.
     *
     * @param delayed whether this message gets a random delay of its own (task messages), or only
     *     waits for the earlier messages of its channel (a notify about the sender)
     */
    void send(int from, int to, Inbound message, boolean delayed) {
        long key = key(from, to);
        Channel c = channels.get(key);
        long delay = delayed ? drawDelay(from) : 0;
        if (delay > 0) {
            endpoints.journal(new TaskId(from) + " -> " + new TaskId(to) + " tag " + message.tag() + ": delayed "
                    + String.format("%.3f ms", delay / 1e6));
        }
        if (c == null && delay == 0 && !endpoints.held(from, to)) {
            endpoints.deliver(to, message); // the common case: nothing in flight, no delay
            return;
        }
        if (c == null) {
            c = new Channel(from, to);
            channels.put(key, c);
        }
        long now = System.nanoTime();
        long due = Math.max(now + delay, c.lastDue);
        c.lastDue = due;
        c.queue.add(new Pending(message, due));
        if (due > now) {
            Channel scheduled = c;
            clock.schedule(() -> flushLocked(scheduled), due - now, TimeUnit.NANOSECONDS);
        } else {
            flush(c);
        }
    }

    private long drawDelay(int from) {
        if (maxNanos <= 0) {
            return 0;
        }
        Random r = streams.computeIfAbsent(from, t -> new Random(seed * 0x9E3779B97F4A7C15L ^ t));
        return minNanos + (long) (r.nextDouble() * (maxNanos - minNanos));
    }

    private void flushLocked(Channel c) {
        lock.lock();
        try {
            flush(c);
        } finally {
            lock.unlock();
        }
    }

    /** Delivers the channel's due messages in order; stops at the first one not yet due or held. */
    private void flush(Channel c) {
        long now = System.nanoTime();
        while (!c.queue.isEmpty() && c.queue.peek().due() <= now && !endpoints.held(c.from, c.to)) {
            endpoints.deliver(c.to, c.queue.poll().message());
        }
        if (c.queue.isEmpty()) {
            channels.remove(key(c.from, c.to), c);
        }
    }

    /** Delivers what became deliverable (a host answers again). */
    void flushAll() {
        for (Channel c : new ArrayList<>(channels.values())) {
            flush(c);
        }
    }

    /** Drops everything these tasks sent that has not arrived yet (their host failed). */
    void discardFrom(Set<Integer> tids) {
        discardIf(c -> tids.contains(c.from));
    }

    /** Drops everything on its way to a task that ended. */
    void discardTo(int tid) {
        discardIf(c -> c.to == tid);
    }

    void clear() {
        discardIf(c -> true);
    }

    private void discardIf(java.util.function.Predicate<Channel> which) {
        for (Iterator<Channel> it = channels.values().iterator(); it.hasNext(); ) {
            Channel c = it.next();
            if (which.test(c)) {
                c.queue.clear(); // a flush already scheduled finds nothing
                it.remove();
            }
        }
    }

    private static long key(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }
}
