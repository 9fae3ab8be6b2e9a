package org.pvmakka.internal.bridge.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** Direct mapping of the few libc calls the bridge needs (environment, poll, a wake-up pipe). */
final class LibC {
    private LibC() {
    }

    static final NativeLibrary LIBRARY = NativeLibrary.getInstance("c");

    static {
        Native.register(LibC.class, LIBRARY);
    }

    static final int POLLIN = 0x1;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static native int setenv(String name, String value, int overwrite);

    static native String getenv(String name);

    static native int geteuid();

    static native int getpid();

    /** int poll(struct pollfd *fds, nfds_t nfds, int timeout): pollfd is {int fd; short events, revents}. */
    static native int poll(Pointer fds, long nfds, int timeout);

    static native int pipe2(int[] fds, int flags);

    static native long write(int fd, byte[] buf, long count);

    static native long read(int fd, byte[] buf, long count);

    static native int close(int fd);

    static native int setvbuf(Pointer stream, Pointer buf, int mode, long size);

    static native int fflush(Pointer stream);

    /** The C {@code stdout} stream. */
    static Pointer stdout() {
        return LIBRARY.getGlobalVariableAddress("stdout").getPointer(0);
    }
}
