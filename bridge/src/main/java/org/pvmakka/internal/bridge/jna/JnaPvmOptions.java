package org.pvmakka.internal.bridge.jna;

/**
 * How to load and attach libpvm.
 *
 * @param library the library to load: a file name searched by the dynamic linker, or an absolute
 *     path (Debian's {@code libpvm3} ships {@code libpvm3.so.3})
 * @param pvmTmp the {@code PVM_TMP} directory of the VM to attach to, or null to keep the
 *     environment's (libpvm reads it once per process)
 * @param allowRoot when running as root: set {@code PVM_ALLOW_ROOT=1} for libpvm; when false and
 *     it is not set, the first call fails with a clear error instead of libpvm exiting the JVM
 * @param maxMessageBytes larger messages are refused before sending and before unpacking
 * @param fragmentSize {@code PvmFragSize} to set after enrolling, or 0 to keep libpvm's default
 */
public record JnaPvmOptions(String library, String pvmTmp, boolean allowRoot, int maxMessageBytes,
        int fragmentSize) {

    /** Debian's runtime library name. */
    public static final String DEFAULT_LIBRARY = "libpvm3.so.3";
    /** 64 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;
    /** 64 KiB fragments: about 4x faster than libpvm's 4 KiB default for large messages. */
    public static final int DEFAULT_FRAGMENT_SIZE = 65536;

    public JnaPvmOptions {
        if (library == null || library.isBlank()) {
            throw new IllegalArgumentException("library must name libpvm3, e.g. " + DEFAULT_LIBRARY);
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        if (fragmentSize < 0) {
            throw new IllegalArgumentException("fragmentSize must be 0 (default) or positive, got " + fragmentSize);
        }
    }

    /** Defaults: Debian's library, the environment's PVM_TMP, root allowed only if PVM_ALLOW_ROOT is set. */
    public static JnaPvmOptions defaults() {
        return new JnaPvmOptions(DEFAULT_LIBRARY, null, false, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_FRAGMENT_SIZE);
    }

    public JnaPvmOptions withPvmTmp(String dir) {
        return new JnaPvmOptions(library, dir, allowRoot, maxMessageBytes, fragmentSize);
    }

    public JnaPvmOptions withAllowRoot(boolean allow) {
        return new JnaPvmOptions(library, pvmTmp, allow, maxMessageBytes, fragmentSize);
    }

    public JnaPvmOptions withMaxMessageBytes(int max) {
        return new JnaPvmOptions(library, pvmTmp, allowRoot, max, fragmentSize);
    }

    public JnaPvmOptions withLibrary(String lib) {
        return new JnaPvmOptions(lib, pvmTmp, allowRoot, maxMessageBytes, fragmentSize);
    }

    public JnaPvmOptions withFragmentSize(int size) {
        return new JnaPvmOptions(library, pvmTmp, allowRoot, maxMessageBytes, size);
    }
}
