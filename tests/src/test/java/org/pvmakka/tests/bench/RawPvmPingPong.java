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
 * Builds and runs {@code src/test/c/pvm_pingpong.c}, the raw C PVM ping-pong baseline that the
 * Java runtime's round trip is compared against. The binary enrolls in the pvmd found through
 * {@code PVM_TMP}, spawns itself as an echo task and prints one {@code RESULT ...} line.
 */
public final class RawPvmPingPong {
    private static final String SOURCE = "pvm_pingpong.c";
    private static final String BINARY = "pvm_pingpong";
    private static final long TIMEOUT_SECONDS = 120;

    /** One run's figures, in microseconds per round trip. */
    public record Result(int size, int iterations, String route, double medianMicros, double minMicros, double p99Micros) {
    }

    private RawPvmPingPong() {
    }

    /**
     * Compiles the C ping-pong into {@code outDir} with gcc and returns the absolute binary path.
     *
     * @throws IllegalStateException when the source cannot be found or gcc fails (with its output)
     */
    public static Path build(Path outDir) {
        Path source = locateSource();
        Path binary = outDir.resolve(BINARY).toAbsolutePath();
        try {
            Files.createDirectories(outDir);
            ProcessBuilder pb = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString(), "-lpvm3")
                    .redirectErrorStream(true);
            Process gcc = pb.start();
            // gcc's output is small; reading it to the end before waiting cannot deadlock
            String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                gcc.destroyForcibly();
                throw new IllegalStateException("gcc timed out compiling " + source + "\n" + output);
            }
            if (gcc.exitValue() != 0 || !Files.isExecutable(binary)) {
                throw new IllegalStateException("gcc failed (exit " + gcc.exitValue() + ") compiling " + source + "\n" + output);
            }
            return binary;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run gcc for " + source + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + source, e);
        }
    }

    /**
     * Runs the binary in master role against the pvmd of {@code pvmTmp}.
     *
     * @param route {@code "pvmd"} (messages through the daemon) or {@code "direct"} (task-task link)
     * @throws IllegalStateException when the run fails, times out (120 s) or prints no RESULT line,
     *     with its stdout and stderr
     */
    public static Result run(Path binary, String pvmTmp, int size, int iterations, String route) {
        String bin = binary.toAbsolutePath().toString();
        ProcessBuilder pb = new ProcessBuilder(bin, bin, Integer.toString(size), Integer.toString(iterations), route);
        Map<String, String> env = pb.environment();
        env.put("PVM_TMP", pvmTmp);
        env.put("PVM_ROOT", "/usr/lib/pvm3");
        env.put("PVM_ALLOW_ROOT", "1");
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            // files, not pipes: nothing to drain while waiting, and no reader threads to manage
            out = Files.createTempFile("pvm_pingpong", ".out");
            err = Files.createTempFile("pvm_pingpong", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            process = pb.start();
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("pvm_pingpong timed out after " + TIMEOUT_SECONDS + " s"
                        + describe(out, err));
            }
            int exit = process.exitValue();
            String stdout = Files.readString(out);
            Result result = parse(stdout);
            if (exit != 0 || result == null) {
                throw new IllegalStateException("pvm_pingpong failed (exit " + exit + ")" + describe(out, err));
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + bin + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
            throw new IllegalStateException("interrupted while running " + bin, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Parses the {@code RESULT key=value ...} line of the binary's stdout, or null if there is none. */
    static Result parse(String stdout) {
        for (String line : stdout.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String token : trimmed.substring("RESULT ".length()).trim().split("\\s+")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    fields.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            try {
                return new Result(
                        Integer.parseInt(require(fields, "size")),
                        Integer.parseInt(require(fields, "iterations")),
                        require(fields, "route"),
                        Double.parseDouble(require(fields, "median_us")),
                        Double.parseDouble(require(fields, "min_us")),
                        Double.parseDouble(require(fields, "p99_us")));
            } catch (IllegalArgumentException e) { // includes NumberFormatException
                return null;
            }
        }
        return null;
    }

    private static String require(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value;
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
     * The C source: {@code <basedir>/src/test/c/pvm_pingpong.c} when Maven set {@code basedir},
     * else found by walking up from the working directory.
     */
    private static Path locateSource() {
        List<Path> tried = new ArrayList<>();
        String basedir = System.getProperty("basedir");
        if (basedir != null) {
            Path candidate = Path.of(basedir).toAbsolutePath().resolve("src/test/c").resolve(SOURCE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        for (Path dir = Path.of(".").toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            for (String relative : new String[] {"tests/src/test/c/", "src/test/c/"}) {
                Path candidate = dir.resolve(relative + SOURCE);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        throw new IllegalStateException("cannot find " + SOURCE + "; tried " + tried);
    }
}
