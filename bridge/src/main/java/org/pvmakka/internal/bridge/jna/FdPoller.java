package org.pvmakka.internal.bridge.jna;

import com.sun.jna.Memory;

/**
 * Waits with {@code poll()} until one of libpvm's file descriptors (from
 * {@link JnaPvm#fileDescriptors()}) is readable or another thread calls {@link #wakeup()}. It makes
 * no PVM call, so it may run on any thread. Linux only ({@code pipe2}).
 */
final class FdPoller implements AutoCloseable {
    private final int readFd;
    private final int writeFd;
    private final byte[] one = {1};
    private final byte[] sink = new byte[64];
    private Memory pollfds = new Memory(8L * 8);
    private volatile boolean closed;

    FdPoller() {
        int[] fds = new int[2];
        if (LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC) != 0) {
            throw new IllegalStateException("pipe2() failed: errno " + com.sun.jna.Native.getLastError());
        }
        readFd = fds[0];
        writeFd = fds[1];
    }

    /**
     * Blocks until a descriptor is readable, {@link #wakeup()} is called, or the timeout passes.
     *
     * @param fds libpvm's descriptors
     * @param timeoutMillis negative waits without limit
     * @return true when a PVM descriptor is readable, false on wake-up or time-out
     */
    public boolean await(int[] fds, int timeoutMillis) {
        if (closed) {
            return false;
        }
        int n = fds.length + 1;
        if (pollfds.size() < 8L * n) {
            pollfds = new Memory(8L * n);
        }
        pollfds.setInt(0, readFd);
        pollfds.setShort(4, (short) LibC.POLLIN);
        pollfds.setShort(6, (short) 0);
        for (int i = 0; i < fds.length; i++) {
            long off = 8L * (i + 1);
            pollfds.setInt(off, fds[i]);
            pollfds.setShort(off + 4, (short) LibC.POLLIN);
            pollfds.setShort(off + 6, (short) 0);
        }
        int rc = LibC.poll(pollfds, n, timeoutMillis < 0 ? -1 : timeoutMillis);
        if (rc <= 0) {
            return false;
        }
        if (pollfds.getShort(6) != 0) {
            while (LibC.read(readFd, sink, sink.length) > 0) {
                // drain wake-ups
            }
        }
        for (int i = 0; i < fds.length; i++) {
            if (pollfds.getShort(8L * (i + 1) + 6) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Makes a concurrent or the next {@link #await} return at once. Thread-safe. */
    public void wakeup() {
        if (!closed) {
            LibC.write(writeFd, one, 1);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(writeFd);
            LibC.close(readFd);
        }
    }
}
