package org.pvmakka.internal.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.pvmakka.internal.codec.WireCodec;

/**
 * How {@code pvm_spawn} starts a worker JVM: the absolute path to {@code java}, JVM options, the
 * classpath, the working directory and the wire settings, turned into a program and argv. A task
 * starts in the pvmd's home with the pvmd's environment, so everything it needs is passed here.
 *
 * @param javaCommand absolute path of the {@code java} executable on the hosts
 * @param jvmOptions options placed before the classpath, e.g. {@code -XX:+UseSerialGC}; followed by
 *     {@link #EXIT_ON_OOM}
 * @param classpath entries of the worker's classpath (must hold pvm-akka-bridge and the task classes)
 * @param workingDirectory the worker's {@code user.dir}, or null for the pvmd's home
 */
public record WorkerCommand(String javaCommand, List<String> jvmOptions, List<String> classpath,
        String workingDirectory) {

    /** Options that make a short-lived worker JVM start quickly and stay small. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");

    /**
     * Always added after the {@link #jvmOptions} (so that no option given there turns it off): a
     * worker out of memory ends instead of hanging, e.g. in an error handler that needs memory too.
     */
    public static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";

    public WorkerCommand {
        if (javaCommand == null || !javaCommand.startsWith("/")) {
            throw new IllegalArgumentException("the worker's java command must be an absolute path (pvm_spawn does not"
                    + " search PATH), got: " + javaCommand);
        }
        jvmOptions = List.copyOf(jvmOptions);
        classpath = List.copyOf(classpath);
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("the worker classpath is empty: it needs pvm-akka-bridge and the task classes");
        }
    }

    /** A command for this JVM's {@code java}, classpath and working directory, with the default options. */
    public static WorkerCommand forCurrentJvm() {
        return new WorkerCommand(currentJava(), DEFAULT_JVM_OPTIONS, currentClasspath(), System.getProperty("user.dir"));
    }

    /** The {@code java} executable of the running JVM. */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * This JVM's classpath as absolute entries, with manifest-only jars (as Maven's test runners
     * use) expanded into what their {@code Class-Path} names.
     */
    public static List<String> currentClasspath() {
        Set<String> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (e.isBlank()) {
                continue;
            }
            Path p = Path.of(e).toAbsolutePath();
            out.add(p.toString());
            if (e.endsWith(".jar") && Files.isRegularFile(p)) {
                out.addAll(manifestClassPath(p));
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> manifestClassPath(Path jar) {
        List<String> out = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return out;
            }
            for (String u : cp.trim().split("\\s+")) {
                try {
                    java.net.URI uri = jar.getParent().toUri().resolve(u);
                    out.add(Path.of(uri).toString());
                } catch (RuntimeException ignored) {
                    // not a file entry
                }
            }
        } catch (IOException ignored) {
            // not a readable jar: keep the entry as it is
        }
        return out;
    }

    public WorkerCommand withJvmOptions(List<String> options) {
        return new WorkerCommand(javaCommand, options, classpath, workingDirectory);
    }

    public WorkerCommand withClasspath(List<String> entries) {
        return new WorkerCommand(javaCommand, jvmOptions, entries, workingDirectory);
    }

    public WorkerCommand withWorkingDirectory(String dir) {
        return new WorkerCommand(javaCommand, jvmOptions, classpath, dir);
    }

    /** The program for {@code pvm_spawn}. */
    public String program() {
        return javaCommand;
    }

    /**
     * The {@code -D} system properties of a worker command line built by {@link #argv}, or empty
     * when the argv does not start {@link WorkerMain} (the simulator runs only worker commands).
     *
     * @param argv the arguments given to {@code pvm_spawn}, without the program
     */
    public static Optional<Map<String, String>> workerProperties(List<String> argv) {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
                i++; // its value
            } else if (a.startsWith("-D")) {
                int eq = a.indexOf('=');
                props.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
            } else if (!a.startsWith("-")) {
                return a.equals(WorkerMain.class.getName()) ? Optional.of(props) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The argv for {@code pvm_spawn} (without the program), for a codec's wire settings. */
    public List<String> argv(WireCodec codec, List<String> wireOptions) {
        List<String> a = new ArrayList<>(jvmOptions);
        a.add(EXIT_ON_OOM);
        if (workingDirectory != null) {
            a.add("-Duser.dir=" + workingDirectory);
        }
        a.addAll(wireOptions);
        a.add("-D" + WorkerMain.PROP_FINGERPRINT + "=" + codec.fingerprint());
        a.add("-cp");
        a.add(String.join(File.pathSeparator, classpath));
        a.add(WorkerMain.class.getName());
        return a;
    }
}
