package org.pvmakka.internal.worker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.pvmakka.internal.bridge.jna.JnaStartupCache;

/**
 * Makes worker JVMs start faster with a cache in the spawning user's home
 * ({@code ~/.cache/pvm-akka} by default):
 * <ul>
 * <li>JNA's native library, extracted once ({@code -Djna.boot.library.path}), instead of into a new
 * temporary file by every worker (which also initialises {@code SecureRandom});
 * <li>JNA's library search path, passed on ({@code -Djna.platform.library.path}), instead of every
 * worker running {@code ldconfig -p};
 * <li>a class-data sharing archive of the worker's core jars (pvm-akka-bridge, JNA, Kryo and its
 * dependencies; {@code -XX:SharedArchiveFile}), created once in the background by a
 * {@link WorkerWarmUp} JVM; these jars are put first on the worker's classpath so that the archive
 * applies. Until the archive exists, and on hosts where it does not exist, workers start without it
 * (the JVM ignores a missing archive). It needs the core classes in jars: with classes in
 * directories (an IDE, {@code mvn test}) there is no archive.
 * </ul>
 * A worker then needs ~40 % less CPU to start; 16 workers on a 2-core machine answer ~35 % sooner.
 * Everything is best effort: on any problem workers start as before.
 */
public final class WorkerStartup {
    /** Classes whose jars form the archived classpath prefix: what every worker loads. */
    private static final List<String> CORE_CLASSES = List.of("org.pvmakka.internal.worker.WorkerMain", "com.sun.jna.Native",
            "com.esotericsoftware.kryo.Kryo", "com.esotericsoftware.reflectasm.ConstructorAccess",
            "org.objenesis.Objenesis", "com.esotericsoftware.minlog.Log");
    private static final Set<Path> DUMPING = ConcurrentHashMap.newKeySet();

    private final List<String> jvmOptions;
    private final List<String> classpath;

    private WorkerStartup(List<String> jvmOptions, List<String> classpath) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classpath = List.copyOf(classpath);
    }

    /** Options to add to the worker's JVM options. */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The worker's classpath, the archived core jars first. */
    public List<String> classpath() {
        return classpath;
    }

    /** The default cache directory: {@code $XDG_CACHE_HOME/pvm-akka} or {@code ~/.cache/pvm-akka}. */
    public static Path defaultCacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("pvm-akka");
    }

    /**
     * Prepares the cache for workers started as {@code java <jvmOptions> -cp <classpath>} and
     * returns what to add to their command. Starts the creation of the class-data archive in the
     * background when it does not exist yet.
     */
    public static WorkerStartup prepare(Path cacheDirectory, String java, List<String> jvmOptions, List<String> classpath) {
        List<String> options = new ArrayList<>(jnaOptions(cacheDirectory));
        List<String> cp = classpath;
        List<String> core = coreJars();
        if (core != null) {
            Set<String> ordered = new LinkedHashSet<>(core);
            ordered.addAll(classpath);
            cp = new ArrayList<>(ordered);
            Path archive = archive(cacheDirectory, java, jvmOptions, core);
            if (archive != null) {
                options.add("-XX:SharedArchiveFile=" + archive);
                if (!Files.exists(archive)) {
                    dumpInBackground(archive, java, jvmOptions, core);
                }
            }
        }
        return new WorkerStartup(options, cp);
    }

    /** {@code -Djna.*} options, or none when JNA's library cannot be cached. */
    static List<String> jnaOptions(Path cacheDirectory) {
        return JnaStartupCache.jnaOptions(cacheDirectory);
    }

    /** The jars of the core classes in this JVM, or null when one of them is not in a jar. */
    static List<String> coreJars() {
        Set<String> jars = new LinkedHashSet<>();
        for (String name : CORE_CLASSES) {
            try {
                Class<?> c = Class.forName(name, false, WorkerStartup.class.getClassLoader());
                var source = c.getProtectionDomain().getCodeSource();
                if (source == null) {
                    return null;
                }
                Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
                if (!Files.isRegularFile(p)) {
                    return null; // a directory: class-data sharing cannot archive it
                }
                jars.add(p.toString());
            } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
                return null;
            }
        }
        return new ArrayList<>(jars);
    }

    /**
     * The archive for these options and jars: named by a hash of the java command, its version, the
     * JVM options that shape an archive and each jar's path, size and modification time, so a
     * rebuilt jar or another JDK gets a new archive. Null when the jars cannot be read.
     */
    static Path archive(Path cacheDirectory, String java, List<String> jvmOptions, List<String> core) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder key = new StringBuilder(java).append('\n').append(System.getProperty("java.vm.version"))
                    .append('\n');
            for (String o : archiveOptions(jvmOptions)) {
                key.append(o).append('\n');
            }
            StringBuilder paths = new StringBuilder();
            for (String jar : core) {
                Path p = Path.of(jar);
                paths.append(jar).append('\n');
                key.append(jar).append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            }
            String pathsHash = HexFormat.of().formatHex(sha.digest(paths.toString().getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 12);
            String contentHash = HexFormat.of().formatHex(sha.digest(key.toString().getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 12);
            return cacheDirectory.resolve("cds").resolve("worker-" + pathsHash + "-" + contentHash + ".jsa");
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null;
        }
    }

    /** The JVM options the dumping JVM gets: the workers' own, without system properties and archives. */
    static List<String> archiveOptions(List<String> jvmOptions) {
        return jvmOptions.stream().filter(o -> !o.startsWith("-D") && !o.startsWith("-XX:SharedArchiveFile")
                && !o.startsWith("-XX:ArchiveClassesAtExit")).toList();
    }

    private static void dumpInBackground(Path archive, String java, List<String> jvmOptions, List<String> core) {
        if (!DUMPING.add(archive)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                dump(archive, java, jvmOptions, core);
            } finally {
                DUMPING.remove(archive);
            }
        }, "pvm-akka-cds-archive");
        t.setDaemon(true);
        t.start();
    }

    /** Runs a {@link WorkerWarmUp} JVM that writes the archive at exit; moves it in place when complete. */
    static boolean dump(Path archive, String java, List<String> jvmOptions, List<String> core) {
        Path tmp = null;
        try {
            Files.createDirectories(archive.getParent());
            tmp = Files.createTempFile(archive.getParent(), "dumping-", ".jsa");
            Files.delete(tmp); // the JVM creates it
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(archiveOptions(jvmOptions));
            cmd.add("-XX:ArchiveClassesAtExit=" + tmp);
            cmd.add("-Xlog:cds=off");
            cmd.add("-Xlog:cds+dynamic=off");
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, core));
            cmd.add(WorkerWarmUp.class.getName());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                return false;
            }
            Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeOlderArchives(archive);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /** Archives of the same jar paths from earlier builds are stale: delete them. */
    private static void removeOlderArchives(Path archive) throws IOException {
        String name = archive.getFileName().toString();
        String prefix = name.substring(0, name.lastIndexOf('-') + 1);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(archive.getParent(), prefix + "*.jsa")) {
            for (Path p : ds) {
                if (!p.equals(archive)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
