package org.pvmakka.internal.actors;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.pvmakka.internal.wire.FlowWindow;

/**
 * The runtime's side of each task's {@link FlowWindow}, without actors: what each task has in flight to its owner, and
 * what credit is due back to it. A task's message is admitted only while what the runtime has received and not yet
 * credited fits the task's window (a task that ignores its credits is refused beyond it, so that nothing it sends can
 * grow the runtime's memory without bound). Credit becomes due when a message was handed to the owner (by default) or,
 * for owners that confirm, when the owner confirms it; due credit goes out in one {@link Grant} per task.
 */
final class CreditLedger {

    /** Credit to send to a task. */
    record Grant(int tid, int messages, long bytes) {
    }

    private static final class Account {
        final FlowWindow window;
        /** Received from the task and not yet credited back (due credit included). */
        int inFlight;
        long inFlightBytes;
        /** Sizes of the messages handed to an owner that confirms, and not yet confirmed (oldest first). */
        final ArrayDeque<Integer> unconfirmed = new ArrayDeque<>();
        int dueMessages;
        long dueBytes;

        Account(FlowWindow window) {
            this.window = window;
        }
    }

    private final Map<Integer, Account> accounts = new HashMap<>();
    private final Map<Integer, Account> due = new HashMap<>();

    /** A task with this window started (null: not flow controlled, nothing is accounted). */
    void open(int tid, FlowWindow window) {
        if (window != null) {
            accounts.put(tid, new Account(window));
        }
    }

    void close(int tid) {
        accounts.remove(tid);
        due.remove(tid);
    }

    void clear() {
        accounts.clear();
        due.clear();
    }

    boolean controlled(int tid) {
        return accounts.containsKey(tid);
    }

    /**
     * A message of {@code size} bytes arrived from {@code tid}.
     *
     * @return false when it is beyond the task's window (the task ignores its credits): drop it
     */
    boolean admit(int tid, int size) {
        Account a = accounts.get(tid);
        if (a == null) {
            return true;
        }
        FlowWindow w = a.window;
        if (a.inFlight >= w.messages() || (a.inFlight > 0 && a.inFlightBytes + size > w.bytes())) {
            return false;
        }
        a.inFlight++;
        a.inFlightBytes += size;
        return true;
    }

    /** An admitted message was handed to the task's owner. */
    void handedOff(int tid, int size) {
        Account a = accounts.get(tid);
        if (a == null) {
            return;
        }
        if (a.window.ownerConfirms()) {
            a.unconfirmed.add(size);
        } else {
            owe(tid, a, 1, size);
        }
    }

    /** An admitted message was dropped (it did not decode): its credit is due at once. */
    void discarded(int tid, int size) {
        Account a = accounts.get(tid);
        if (a != null) {
            owe(tid, a, 1, size);
        }
    }

    /**
     * The owner of {@code tid} handled {@code n} more of its messages.
     *
     * @return null, or why the confirmation was refused
     */
    String confirm(int tid, int n) {
        Account a = accounts.get(tid);
        if (a == null) {
            return "task is not flow controlled by its owner here (not spawned with SpawnSpec.withOwnerFlowControl, or"
                    + " already ended)";
        }
        if (!a.window.ownerConfirms()) {
            return "task was not spawned with SpawnSpec.withOwnerFlowControl(true): its credit returns on hand-off";
        }
        if (n > a.unconfirmed.size()) {
            int had = a.unconfirmed.size();
            confirmSome(tid, a, had);
            return n + " messages confirmed but only " + had + " were delivered and unconfirmed (those " + had
                    + " are confirmed)";
        }
        confirmSome(tid, a, n);
        return null;
    }

    private void confirmSome(int tid, Account a, int n) {
        long b = 0;
        for (int i = 0; i < n; i++) {
            b += a.unconfirmed.poll();
        }
        if (n > 0) {
            owe(tid, a, n, b);
        }
    }

    private void owe(int tid, Account a, int m, long b) {
        a.dueMessages += m;
        a.dueBytes += b;
        due.put(tid, a);
    }

    boolean hasDue() {
        return !due.isEmpty();
    }

    /** Hands every due credit to {@code send} (one grant per task) and counts it as credited. */
    void drainDue(Consumer<Grant> send) {
        for (Iterator<Map.Entry<Integer, Account>> it = due.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Account> e = it.next();
            it.remove();
            Account a = e.getValue();
            Grant g = new Grant(e.getKey(), a.dueMessages, a.dueBytes);
            a.inFlight -= a.dueMessages;
            a.inFlightBytes -= a.dueBytes;
            a.dueMessages = 0;
            a.dueBytes = 0;
            send.accept(g);
        }
    }

    /** Messages of {@code tid} received and not yet credited back (for tests and status). */
    int inFlight(int tid) {
        Account a = accounts.get(tid);
        return a == null ? 0 : a.inFlight;
    }
}
