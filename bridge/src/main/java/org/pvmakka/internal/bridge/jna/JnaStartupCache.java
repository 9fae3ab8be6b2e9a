package org.pvmakka.internal.bridge.jna;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * JNA's part of the worker start-up cache: its native library extracted once into the cache directory and its
 * library search path passed on, so that a worker JVM does neither itself. The only place outside the binding
 * proper that needs JNA's classes.
 */
public final class JnaStartupCache {
    private JnaStartupCache() {
    }

    /** {@code -Djna.*} options, or none when JNA's library cannot be cached. */
    public static List<String> jnaOptions(Path cacheDirectory) {
        List<String> out = new ArrayList<>();
        try {
            // initialising NativeLibrary computes (or takes over) the platform search path
            Class.forName("com.sun.jna.NativeLibrary", true, JnaStartupCache.class.getClassLoader());
            String searchPath = System.getProperty("jna.platform.library.path");
            if (searchPath != null && !searchPath.isEmpty()) {
                out.add("-Djna.platform.library.path=" + searchPath);
            }
            String resource = "/com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/"
                    + System.mapLibraryName("jnidispatch");
            Path dir = cacheDirectory.resolve("jna-" + com.sun.jna.Native.VERSION_NATIVE + "-"
                    + com.sun.jna.Platform.RESOURCE_PREFIX);
            Path lib = dir.resolve(System.mapLibraryName("jnidispatch"));
            if (!Files.isRegularFile(lib)) {
                try (InputStream in = com.sun.jna.Native.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return out;
                    }
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, "jnidispatch", ".tmp");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            out.add("-Djna.boot.library.path=" + dir);
        } catch (IOException | RuntimeException | LinkageError | ClassNotFoundException e) {
            // workers extract it themselves, as without the cache
        }
        return out;
    }
}
