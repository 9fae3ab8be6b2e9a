package org.pvmakka.actors;

import java.util.Arrays;
import org.pvmakka.bridge.jna.FdPoller;

/**
 * A helper thread that waits in {@code poll()} on libpvm's sockets (it makes no PVM call) and
 * tells the bridge to drain when one is readable. After signalling it waits until the bridge
 * re-arms it with the current descriptors, so it never spins on unread data.
 */
final class PvmPoller implements AutoCloseable {
    private final FdPoller fdPoller = new FdPoller();
    private final Runnable onReadable;
    private final Thread thread;
    private int[] fds = new int[0];
    private boolean armed;
    private boolean closed;

    PvmPoller(String name, Runnable onReadable) {
        this.onReadable = onReadable;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Called by the bridge after each drain with libpvm's current descriptors: lets the thread
     * poll again, and restarts a poll that waits on descriptors that changed.
     */
    synchronized void arm(int[] current) {
        boolean changed = !Arrays.equals(fds, current);
        fds = current;
        if (!armed) {
            armed = true;
            notifyAll();
        } else if (changed) {
            fdPoller.wakeup();
        }
    }

    /** Stops polling until the next {@link #arm}. */
    synchronized void disarm() {
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
            boolean readable = fdPoller.await(f, -1);
            if (readable) {
                synchronized (this) {
                    armed = false;
                }
                onReadable.run();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
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
