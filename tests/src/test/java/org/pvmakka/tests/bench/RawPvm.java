package org.pvmakka.tests.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds and runs the raw C PVM baselines of {@code src/test/c}: {@code pvm_pingpong} (round trip,
 * transfer rate, one-way streaming; it spawns itself as the peer task) and {@code pvm_spawn_floor}
 * (starts N processes of a program through {@code pvm_spawn} until each has printed a line) and
 * {@code pvm_jobs} (a master feeding warm C workers a stream of trivial jobs). They
 * attach to the pvmd of the given {@code PVM_TMP} and print one {@code RESULT key=value ...} line.
 */
public final class RawPvm {
    private static final String[] SOURCES = {"pvm_pingpong", "pvm_spawn_floor", "pvm_jobs"};
    private static final long TIMEOUT_SECONDS = 300;

    private final Path dir;
    private final String pvmTmp;

    private RawPvm(Path dir, String pvmTmp) {
        this.dir = dir;
        this.pvmTmp = pvmTmp;
    }

    /**
     * Compiles the programs into {@code outDir} with {@code gcc -O2 ... -lpvm3}.
     *
     * @throws IllegalStateException when a source cannot be found or gcc fails (with its output)
     */
    public static RawPvm build(Path outDir, String pvmTmp) {
        try {
            Files.createDirectories(outDir);
            for (String name : SOURCES) {
                Path source = locateSource(name + ".c");
                Path binary = outDir.resolve(name).toAbsolutePath();
                Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString(), "-lpvm3")
                        .redirectErrorStream(true).start();
                // gcc's output is small; reading it to the end before waiting cannot deadlock
                String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!gcc.waitFor(120, TimeUnit.SECONDS)) {
                    gcc.destroyForcibly();
                    throw new IllegalStateException("gcc timed out compiling " + source + "\n" + output);
                }
                if (gcc.exitValue() != 0 || !Files.isExecutable(binary)) {
                    throw new IllegalStateException("gcc failed (exit " + gcc.exitValue() + ") compiling " + source + "\n"
                            + output);
                }
            }
            return new RawPvm(outDir.toAbsolutePath(), pvmTmp);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run gcc: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling", e);
        }
    }

    /**
     * Runs {@code pvm_pingpong} in master role.
     *
     * @param mode {@code rtt}, {@code rate} or {@code stream}
     * @param route {@code pvmd} or {@code direct}
     * @param frag {@code PvmFragSize} (0 = libpvm's default)
     * @param encoding {@code raw} or {@code inplace}
     * @return the RESULT fields
     */
    public Map<String, String> pingPong(String mode, int size, int count, String route, int frag, String encoding,
            int reps) {
        String bin = dir.resolve("pvm_pingpong").toString();
        return run(List.of(bin, mode, bin, Integer.toString(size), Integer.toString(count), route, Integer.toString(frag),
                encoding, Integer.toString(reps)));
    }

    /** {@code count} round trips of {@code size} bytes; nanoseconds each (sorted). */
    public long[] roundTrips(int size, int count, String route, int frag, String encoding) {
        String bin = dir.resolve("pvm_pingpong").toString();
        Map<String, String> r = run(List.of(bin, "rtt", bin, Integer.toString(size), Integer.toString(count), route,
                Integer.toString(frag), encoding, "1"));
        String[] us = r.getOrDefault("samples", "").split(",");
        if (us.length != count) {
            throw new IllegalStateException("expected " + count + " samples, got " + us.length);
        }
        long[] ns = new long[count];
        for (int i = 0; i < count; i++) {
            ns[i] = Math.round(Double.parseDouble(us[i]) * 1000);
        }
        return ns;
    }

    /**
     * Runs {@code pvm_jobs}: a master and {@code workers} C workers, {@code jobs} jobs of {@code size}
     * bytes per round, at most {@code inFlight} per worker, {@code batch} to a message each way.
     */
    public Map<String, String> jobs(int workers, int jobs, int size, int inFlight, int batch, int reps) {
        String bin = dir.resolve("pvm_jobs").toString();
        return run(List.of(bin, bin, Integer.toString(workers), Integer.toString(jobs), Integer.toString(size),
                Integer.toString(inFlight), Integer.toString(batch), Integer.toString(reps)));
    }

    /** Runs {@code pvm_spawn_floor}: {@code n} processes of {@code command} per round, {@code reps} rounds. */
    public Map<String, String> spawnFloor(int n, int reps, List<String> command) {
        List<String> argv = new ArrayList<>(List.of(dir.resolve("pvm_spawn_floor").toString(), Integer.toString(n),
                Integer.toString(reps)));
        argv.addAll(command);
        return run(argv);
    }

    private Map<String, String> run(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        env.put("PVM_TMP", pvmTmp);
        env.put("PVM_ROOT", "/usr/lib/pvm3");
        env.put("PVM_ALLOW_ROOT", "1");
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            // files, not pipes: nothing to drain while waiting, and no reader threads to manage
            out = Files.createTempFile("rawpvm", ".out");
            err = Files.createTempFile("rawpvm", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            process = pb.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(argv.get(0) + " timed out after " + TIMEOUT_SECONDS + " s"
                        + describe(out, err));
            }
            Map<String, String> result = parse(Files.readString(out));
            if (process.exitValue() != 0 || result == null) {
                throw new IllegalStateException(String.join(" ", argv.subList(0, Math.min(argv.size(), 9))) + " failed (exit "
                        + process.exitValue() + ")" + describe(out, err));
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
            throw new IllegalStateException("interrupted while running " + argv.get(0), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * The fields of the {@code RESULT key=value ...} line of a program's stdout (and its
     * {@code SAMPLES} line as field {@code samples}), or null if there is none.
     */
    static Map<String, String> parse(String stdout) {
        Map<String, String> result = null;
        String samples = null;
        for (String line : stdout.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("SAMPLES ")) {
                samples = trimmed.substring("SAMPLES ".length()).trim();
            }
            if (result != null || !trimmed.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String token : trimmed.substring("RESULT ".length()).trim().split("\\s+")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    fields.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            result = fields;
        }
        if (result != null && samples != null) {
            result.put("samples", samples);
        }
        return result;
    }

    /** A numeric field of a result. */
    static double num(Map<String, String> result, String key) {
        String v = result.get(key);
        if (v == null) {
            throw new IllegalStateException("no " + key + " in " + result);
        }
        return Double.parseDouble(v);
    }

    private static String describe(Path out, Path err) {
        return "\n--- stdout ---\n" + readQuietly(out) + "\n--- stderr ---\n" + readQuietly(err);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "<unreadable: " + e.getMessage() + ">";
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    /**
     * A C source: {@code <basedir>/src/test/c/<name>} when Maven set {@code basedir}, else found by
     * walking up from the working directory.
     */
    private static Path locateSource(String name) {
        List<Path> tried = new ArrayList<>();
        String basedir = System.getProperty("basedir");
        if (basedir != null) {
            Path candidate = Path.of(basedir).toAbsolutePath().resolve("src/test/c").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        for (Path d = Path.of(".").toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            for (String relative : new String[] {"tests/src/test/c/", "src/test/c/"}) {
                Path candidate = d.resolve(relative + name);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        throw new IllegalStateException("cannot find " + name + "; tried " + tried);
    }
}
