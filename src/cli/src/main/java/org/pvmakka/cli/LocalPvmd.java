package org.pvmakka.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private pvmd started by this JVM: in its own, freshly wiped {@code PVM_TMP} directory (a stale
 * {@code pvmd.<uid>} file would make the next attach hang), stopped by its PID. For tests, demos
 * and the embedded default; production VMs are usually started by their operator.
 */
public final class LocalPvmd implements AutoCloseable {
    /** Debian's daemon. */
    public static final String DEFAULT_PVMD = "/usr/bin/pvmd";

    private final Process process;
    private final Path pvmTmp;
    private final Path log;

    private LocalPvmd(Process process, Path pvmTmp, Path log) {
        this.process = process;
        this.pvmTmp = pvmTmp;
        this.log = log;
    }

    /**
     * Wipes {@code pvmTmp}, starts a pvmd there and waits until it accepts connections.
     *
     * @param extraEnv added to the pvmd's environment (and so to every task it spawns)
     * @throws IllegalStateException with the daemon's output when it does not come up in 10 s
     */
    public static LocalPvmd start(Path pvmTmp, Map<String, String> extraEnv) throws IOException {
        return start(pvmTmp, extraEnv, null);
    }

    /**
     * As {@link #start(Path, Map)}, with a PVM hostfile ({@code pvmd <hostfile>}) whose hosts the
     * daemon adds at start.
     */
    public static LocalPvmd start(Path pvmTmp, Map<String, String> extraEnv, Path hostfile) throws IOException {
        if (hostfile != null && !Files.isReadable(hostfile)) {
            throw new IllegalArgumentException("cannot read the hostfile " + hostfile);
        }
        if (!Files.isExecutable(Path.of(DEFAULT_PVMD))) {
            throw new IllegalStateException("no pvmd at " + DEFAULT_PVMD + ": install PVM with "
                    + "'apt-get install -y pvm pvm-dev libpvm3' (as root)");
        }
        wipe(pvmTmp);
        Files.createDirectories(pvmTmp);
        Path log = pvmTmp.resolveSibling(pvmTmp.getFileName() + ".pvmd.out");
        ProcessBuilder pb = hostfile == null ? new ProcessBuilder(DEFAULT_PVMD)
                : new ProcessBuilder(DEFAULT_PVMD, hostfile.toAbsolutePath().toString());
        pb.environment().put("PVM_TMP", pvmTmp.toString());
        pb.environment().putIfAbsent("PVM_ROOT", "/usr/lib/pvm3");
        pb.environment().put("PVM_ALLOW_ROOT", "1");
        pb.environment().putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        LocalPvmd d = new LocalPvmd(p, pvmTmp, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Path addr = pvmTmp.resolve("pvmd." + uid());
        while (System.nanoTime() < deadline) {
            if (Files.exists(addr) && Files.size(addr) > 0 && !Files.readString(log).isBlank()) {
                return d;
            }
            if (!p.isAlive()) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String out = Files.exists(log) ? Files.readString(log) : "";
        d.close();
        throw new IllegalStateException("pvmd did not come up in " + pvmTmp + ": " + out.trim());
    }

    private static long uid() throws IOException {
        Object u = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return ((Number) u).longValue();
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The daemon's PID. */
    public long pid() {
        return process.pid();
    }

    /** Its {@code PVM_TMP}. */
    public Path pvmTmp() {
        return pvmTmp;
    }

    /** Its stdout/stderr. */
    public Path log() {
        return log;
    }

    /** True while it runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops it: SIGTERM to its PID (it then stops its tasks), SIGKILL after 5 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
