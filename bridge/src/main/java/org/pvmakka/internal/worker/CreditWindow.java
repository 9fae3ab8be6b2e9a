package org.pvmakka.internal.worker;

import java.util.concurrent.TimeUnit;
import org.pvmakka.internal.wire.FlowWindow;
import org.pvmakka.task.FlowControlTimeoutException;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;

/**
 * The worker's side of a {@link FlowWindow}: how many messages (and bytes) to the parent are in flight. A send takes
 * one credit before it is queued and waits while the window is full (a message larger than the byte window goes when
 * nothing else is in flight); {@link org.pvmakka.internal.wire.Credit}s from the runtime give credit back. Thread-safe.
 */
final class CreditWindow {
    private final FlowWindow window;
    private int messages;
    private long bytes;
    private String closed;

    CreditWindow(FlowWindow window) {
        this.window = window;
    }

    /**
     * Takes credit for one message of {@code size} bytes, waiting at most the window's send time-out.
     *
     * @throws FlowControlTimeoutException when the window stayed full that long
     * @throws PvmException when the task ended (or the thread was interrupted) meanwhile
     */
    synchronized void acquire(long size, String op) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(window.sendTimeoutMillis());
        while (closed == null && !fits(size)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new FlowControlTimeoutException(op, "waited " + window.sendTimeoutMillis()
                        + " ms for flow-control credit: the window of " + window.messages() + " messages / "
                        + window.bytes() + " bytes in flight to the owner stayed full (" + messages + " messages, "
                        + bytes + " bytes in flight; " + (window.ownerConfirms()
                                ? "the owner has not confirmed them with PvmCommand.MessagesHandled"
                                : "the runtime has not handed them to the owner")
                        + "); see pvm-akka.flow-control.window-messages, window-bytes and send-timeout");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PvmException(op, PvmError.SYS_ERR.code(), "interrupted while waiting for flow-control credit");
            }
        }
        if (closed != null) {
            throw new PvmException(op, PvmError.SYS_ERR.code(), closed);
        }
        messages++;
        bytes += size;
    }

    private boolean fits(long size) {
        return messages < window.messages() && (messages == 0 || bytes + size <= window.bytes());
    }

    /** Credit back: from the runtime, or for a message that was never sent. */
    synchronized void release(int m, long b) {
        messages = Math.max(0, messages - m);
        bytes = Math.max(0, bytes - b);
        notifyAll();
    }

    /** The task ended: waiting and later sends fail with {@code why}. */
    synchronized void close(String why) {
        closed = why;
        notifyAll();
    }

    synchronized int inFlight() {
        return messages;
    }
}
