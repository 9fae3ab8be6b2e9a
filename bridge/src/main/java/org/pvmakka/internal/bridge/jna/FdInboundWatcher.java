package org.pvmakka.internal.bridge.jna;

import java.util.Arrays;
import org.pvmakka.internal.bridge.InboundWatcher;

/**
 * The {@link InboundWatcher} of {@link JnaPvm}: a helper thread that waits in {@code poll()} on
 * libpvm's sockets (it makes no PVM call) and calls back when one is readable. After calling back
 * it waits until the owner re-arms it with the current descriptors ({@code pvm_getfds}, read on
 * the owner thread), so it never spins on unread data; descriptors that changed while it polled
 * (a new direct route) restart the poll.
 */
final class FdInboundWatcher implements InboundWatcher {
    private final JnaPvm pvm;
    private final FdPoller fdPoller = new FdPoller();
    private final Runnable onReadable;
    private final Thread thread;
    private int[] fds = new int[0];
    private boolean armed;
    private boolean closed;

    FdInboundWatcher(JnaPvm pvm, Runnable onReadable, String threadName) {
        this.pvm = pvm;
        this.onReadable = onReadable;
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads libpvm's current descriptors (owner thread) and lets the helper thread poll them. */
    @Override
    public void arm() {
        int[] current = pvm.fileDescriptors();
        synchronized (this) {
            boolean changed = !Arrays.equals(fds, current);
            fds = current;
            if (!armed) {
                armed = true;
                notifyAll();
            } else if (changed) {
                fdPoller.wakeup();
            }
        }
    }

    @Override
    public synchronized void disarm() {
        armed = false;
        fdPoller.wakeup();
    }

    private void loop() {
        while (true) {
            int[] f;
            synchronized (this) {
                while (!armed && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                f = fds;
            }
            if (fdPoller.await(f, -1)) {
                synchronized (this) {
                    if (!armed) {
                        continue; // disarmed while polling
                    }
                    armed = false;
                }
                onReadable.run();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        fdPoller.wakeup();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            fdPoller.close();
        }
    }
}
