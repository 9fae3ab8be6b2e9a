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
     * This JVM's classpath as absolute entries, as a worker needs it: {@code java.class.path} with
     * manifest {@code Class-Path}s expanded (manifest-only jars of Maven's test runners, the jar of
     * {@code java -jar}), then the entries of the context class loader and its parents when they are
     * URL class loaders that add entries ({@code mvn exec:java}, isolated test class loaders).
     */
    public static List<String> currentClasspath() {
        return classpathOf(System.getProperty("java.class.path", ""), Thread.currentThread().getContextClassLoader());
    }

    /** {@link #currentClasspath()} for a given {@code java.class.path} and context class loader. */
    static List<String> classpathOf(String javaClassPath, ClassLoader context) {
        Set<String> out = new LinkedHashSet<>();
        for (String e : javaClassPath.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                add(Path.of(e).toAbsolutePath().normalize(), out);
            }
        }
        List<ClassLoader> chain = new ArrayList<>();
        ClassLoader system = ClassLoader.getSystemClassLoader();
        for (ClassLoader l = context; l != null && l != system && l != ClassLoader.getPlatformClassLoader();
                l = l.getParent()) {
            chain.add(0, l); // parents first, as they delegate
        }
        for (ClassLoader l : chain) {
            for (java.net.URL u : urls(l)) {
                try {
                    if ("file".equals(u.getProtocol())) {
                        add(Path.of(u.toURI()).toAbsolutePath().normalize(), out);
                    }
                } catch (java.net.URISyntaxException | RuntimeException ignored) {
                    // not a file entry: not something a worker's -cp can name
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The entries of a URL class loader, or of one with a public {@code getURLs()}; none otherwise. */
    private static java.net.URL[] urls(ClassLoader l) {
        if (l instanceof java.net.URLClassLoader u) {
            return u.getURLs();
        }
        try {
            Object r = l.getClass().getMethod("getURLs").invoke(l);
            return r instanceof java.net.URL[] a ? a : new java.net.URL[0];
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new java.net.URL[0];
        }
    }

    private static void add(Path p, Set<String> out) {
        if (!out.add(p.toString())) {
            return;
        }
        if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
            for (String m : manifestClassPath(p)) {
                add(Path.of(m).toAbsolutePath().normalize(), out);
            }
        }
    }

    /**
     * Whether a worker with {@code classpath} loads {@code type} from where this JVM did: its jar
     * or directory is an entry. Classes of the JDK count as found; classes from elsewhere (a jar
     * inside a jar, a generated class) as not found.
     */
    public static boolean holds(List<String> classpath, Class<?> type) {
        if (type.getClassLoader() == null || type.getClassLoader() == ClassLoader.getPlatformClassLoader()) {
            return true;
        }
        Optional<Path> where = location(type);
        if (where.isEmpty()) {
            return false;
        }
        for (String e : classpath) {
            if (Path.of(e).toAbsolutePath().normalize().equals(where.get())) {
                return true;
            }
        }
        return false;
    }

    /** The jar or directory a class was loaded from, when it is a file. */
    public static Optional<Path> location(Class<?> type) {
        try {
            var source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                return Optional.empty();
            }
            return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
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
