package org.pvmakka.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.Pvm;

/**
 * The messages that arrived for one task, in arrival order, as libpvm's receive queue: a receive
 * takes the first that matches its source and tag filters. Wakes blocked receivers and calls back
 * armed {@link SimInboundWatcher}s (through the cluster's executor, never under the lock). Guarded
 * by the cluster's lock.
 */
final class Mailbox {
    private final LinkedList<Inbound> queue = new LinkedList<>();
    private final Condition arrived;
    private final Executor callbacks;
    private final List<Runnable> armed = new ArrayList<>();

    Mailbox(ReentrantLock lock, Executor callbacks) {
        this.arrived = lock.newCondition();
        this.callbacks = callbacks;
    }

    void put(Inbound in) {
        queue.add(in);
        wake();
    }

    /** Wakes blocked receivers and watchers without a message: the task ended or the VM is gone. */
    void wake() {
        arrived.signalAll();
        for (Runnable r : armed) {
            callbacks.execute(r);
        }
        armed.clear();
    }

    /** Removes and returns the first message matching the filters, or null. */
    Inbound take(int source, int tag) {
        for (Iterator<Inbound> it = queue.iterator(); it.hasNext(); ) {
            Inbound in = it.next();
            if (matches(in, source, tag)) {
                it.remove();
                return in;
            }
        }
        return null;
    }

    boolean probe(int source, int tag) {
        return queue.stream().anyMatch(in -> matches(in, source, tag));
    }

    private static boolean matches(Inbound in, int source, int tag) {
        return (source == Pvm.ANY || in.source() == source) && (tag == Pvm.ANY || in.tag() == tag);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
    }

    /** Calls {@code callback} once when a message is (or already is) waiting. */
    void arm(Runnable callback) {
        if (!queue.isEmpty()) {
            callbacks.execute(callback);
        } else if (!armed.contains(callback)) {
            armed.add(callback);
        }
    }

    void disarm(Runnable callback) {
        armed.remove(callback);
    }

    /** Waits for the next arrival (the cluster's lock is held and released while waiting). */
    long awaitNanos(long nanos) throws InterruptedException {
        return arrived.awaitNanos(nanos);
    }

    void await() throws InterruptedException {
        arrived.await();
    }
}
