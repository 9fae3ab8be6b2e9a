package org.pvmakka.javadsl;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pvmakka.internal.actors.SettingsInternals;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.internal.worker.WorkerMain;
import org.pvmakka.task.WireException;
import org.pvmakka.task.WireRegistrar;
import org.pvmakka.task.WireRegistry;

/**
 * The runtime's settings, read and validated once from the {@code pvm-akka} section of the
 * configuration (documented key by key in {@code reference.conf}), or set in code with
 * {@link #builder()}. A bad setting fails {@link #create} / {@link Builder#build()} with a
 * {@link PvmSettingsException} {@code pvm-akka.<key> = <value>: <what is allowed>}. Reading settings
 * has no side effects: the worker start-up cache is prepared by the runtime when it starts.
 */
public final class PvmSettings {
    /** The dispatcher of the bridge actor. */
    public static final String BRIDGE_DISPATCHER = "pvm-akka.bridge-dispatcher";

    private static final Duration MS = Duration.ofMillis(1);
    private static final Duration DAY = Duration.ofDays(1);

    /** Which {@code Pvm} implementation the runtime uses. */
    public enum Implementation {
        /** libpvm3 through JNA: a real pvmd. */
        JNA,
        /** An in-process {@code SimulatedCluster} bound to the actor system (tests). */
        SIMULATED
    }

    /** {@code implementation}: the PVM the runtime talks to. */
    public final Implementation implementation;
    // the runtime reads these through SettingsInternals: they are of internal types
    private final JnaPvmOptions pvmOptions;
    /** {@code route} as a {@code pvm_setopt(PvmRoute)} value. */
    public final int route;
    private final WireSettings wire;
    private final WorkerCommand worker;
    /** {@code worker.payload-timeout}. */
    public final Duration payloadTimeout;
    /** {@code debug}. */
    public final int debug;
    /** {@code result-grace}. */
    public final Duration resultGrace;
    /** {@code kill-grace}. */
    public final Duration killGrace;
    /** {@code drain-batch}. */
    public final int drainBatch;
    /** {@code ask-timeout}. */
    public final Duration askTimeout;
    /** {@code max-tasks-per-spawn}. */
    public final int maxTasksPerSpawn;
    /** {@code core-counter.timeout}. */
    public final Duration coreTimeout;
    /** {@code core-counter.reprobe-interval}. */
    public final Duration reprobeInterval;
    /** {@code liveness.heartbeat-interval}. */
    public final Duration heartbeatInterval;
    /** {@code liveness.timeout}. */
    public final Duration livenessTimeout;
    /** {@code survive-vm-halt}. */
    public final boolean surviveVmHalt;
    /** {@code reattach-interval}. */
    public final Duration reattachInterval;
    /** {@code http.port}: the status page's port, 0 when off. */
    public final int httpPort;
    /** {@code http.interface}: the address the status page binds. */
    public final String httpInterface;
    /** {@code flow-control.window-messages}. */
    public final int flowWindowMessages;
    /** {@code flow-control.window-bytes}. */
    public final int flowWindowBytes;
    /** {@code flow-control.send-timeout}. */
    public final Duration flowSendTimeout;

    private final Duration internalAskTimeout;
    private final Duration schedulerTick;
    private final boolean startupCache;
    private final Path cacheDirectory;
    private final Map<String, WireRegistrar> registrarInstances;
    private final Config config;

    private PvmSettings(Config full, Map<String, WireRegistrar> instances) {
        this(full, instances, null);
    }

    private PvmSettings(Config full, Map<String, WireRegistrar> instances, WorkerCommand workerOverride) {
        config = full;
        registrarInstances = Map.copyOf(instances);
        Config section;
        try {
            section = full.getConfig("pvm-akka");
        } catch (ConfigException e) {
            throw new PvmSettingsException("", "(missing or not an object)", "the configuration needs a pvm-akka"
                    + " section (reference.conf of pvm-akka-actors provides the defaults)");
        }
        SettingsReader r = new SettingsReader(section);
        implementation = switch (r.oneOf("implementation", Set.of("jna", "simulated"), "must be jna or simulated")) {
            case "jna" -> Implementation.JNA;
            default -> Implementation.SIMULATED;
        };
        String library = r.nonEmpty("library", "must name libpvm3: a file name for the dynamic linker or an"
                + " absolute path, e.g. " + JnaPvmOptions.DEFAULT_LIBRARY);
        String tmp = r.emptyOrAbsolutePath("pvm-tmp", "the environment's PVM_TMP");
        boolean allowRoot = r.bool("allow-root");
        int max = r.bytesIn("max-message-bytes", false, 1 << 10, 1 << 30);
        int fragment = r.bytesIn("fragment-size", true, 1 << 10, 64 << 20);
        pvmOptions = new JnaPvmOptions(library, tmp.isEmpty() ? null : tmp, allowRoot, max, fragment);
        String routeName = r.oneOf("route", Set.of("pvmd", "allow-direct", "direct"),
                "must be pvmd, allow-direct or direct");
        route = WorkerMain.routeOption(routeName);
        debug = r.intIn("debug", 0, 9);
        resultGrace = r.durationIn("result-grace", MS, Duration.ofMinutes(10));
        killGrace = r.durationIn("kill-grace", MS, Duration.ofHours(1));
        drainBatch = r.intIn("drain-batch", 1, 1_000_000);
        maxTasksPerSpawn = r.intIn("max-tasks-per-spawn", 1, 1_000_000);
        askTimeout = r.durationIn("ask-timeout", MS, DAY);
        internalAskTimeout = r.durationIn("internal-ask-timeout", Duration.ofSeconds(1), DAY);
        schedulerTick = r.emptyOrDurationIn("facade.scheduler-tick-duration", MS, Duration.ofSeconds(1),
                "keep akka.scheduler.tick-duration");
        coreTimeout = r.durationIn("core-counter.timeout", Duration.ofMillis(100), Duration.ofHours(1));
        reprobeInterval = r.durationIn("core-counter.reprobe-interval", Duration.ofMillis(10), DAY);
        heartbeatInterval = r.durationIn("liveness.heartbeat-interval", Duration.ofMillis(10), Duration.ofHours(1));
        livenessTimeout = r.durationIn("liveness.timeout", Duration.ofMillis(20), DAY);
        if (livenessTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw r.bad("liveness.timeout", "must be at least twice pvm-akka.liveness.heartbeat-interval ("
                    + SettingsReader.text(heartbeatInterval) + ")");
        }
        surviveVmHalt = r.bool("survive-vm-halt");
        reattachInterval = r.durationIn("reattach-interval", Duration.ofMillis(100), Duration.ofHours(1));
        httpPort = r.intIn("http.port", 0, 65535);
        httpInterface = r.nonEmpty("http.interface", "must be an IP address or host name to bind, e.g. 127.0.0.1");
        flowWindowMessages = r.intIn("flow-control.window-messages", 1, 1_000_000);
        flowWindowBytes = r.bytesIn("flow-control.window-bytes", false, 1 << 10, 1 << 30);
        flowSendTimeout = r.durationIn("flow-control.send-timeout", MS, DAY);
        readBridgeDispatcher(r);

        List<Class<?>> userClasses = new ArrayList<>();
        wire = new WireSettings(max, registrars(r, userClasses), wireClasses(r, userClasses));
        try {
            new WireCodec(wire, registrarInstances); // duplicate or reserved IDs, classes Kryo refuses
        } catch (RuntimeException e) { // WireException, or Kryo refusing a class (e.g. JDK internals)
            throw new PvmSettingsException("wire", "{registrars = " + r.render("wire.registrars") + ", classes = "
                    + r.render("wire.classes") + "}", e instanceof WireException ? e.getMessage()
                    : "the wire codec cannot be built with these registrations: " + e);
        }

        String java = r.emptyOrAbsolutePath("worker.java", "this JVM's java");
        List<String> jvmOptions = r.strings("worker.jvm-options", "options of worker JVMs");
        List<String> cp = r.strings("worker.classpath", "[] = this JVM's classpath");
        String wd = r.emptyOrAbsolutePath("worker.working-directory", "this JVM's working directory");
        payloadTimeout = r.durationIn("worker.payload-timeout", Duration.ofSeconds(1), DAY);
        startupCache = r.bool("worker.startup-cache");
        String dir = r.emptyOrAbsolutePath("worker.cache-directory", "$XDG_CACHE_HOME/pvm-akka or ~/.cache/pvm-akka");
        cacheDirectory = dir.isEmpty() ? null : Path.of(dir);
        if (workerOverride != null) {
            worker = workerOverride;
        } else {
            List<String> jvm = new ArrayList<>(jvmOptions);
            jvm.add("-D" + WorkerMain.PROP_PAYLOAD_TIMEOUT + "=" + payloadTimeout.toSeconds());
            // workers route and fragment their messages as the runtime does
            jvm.add("-D" + WorkerMain.PROP_ROUTE + "=" + routeName);
            jvm.add("-D" + WorkerMain.PROP_FRAGMENT_SIZE + "=" + pvmOptions.fragmentSize());
            worker = new WorkerCommand(java.isEmpty() ? WorkerCommand.currentJava() : java, jvm,
                    cp.isEmpty() ? derivedClasspath(r, userClasses) : cp,
                    wd.isEmpty() ? System.getProperty("user.dir") : wd);
        }
    }

    /**
     * This JVM's classpath for workers ({@code worker.classpath = []}), checked to hold
     * pvm-akka-bridge and the registrar and wire classes where this JVM loaded them from.
     */
    private static List<String> derivedClasspath(SettingsReader r, List<Class<?>> userClasses) {
        List<String> cp = WorkerCommand.currentClasspath();
        List<Class<?>> needed = new ArrayList<>();
        needed.add(WorkerMain.class);
        needed.addAll(userClasses);
        for (Class<?> c : needed) {
            if (!WorkerCommand.holds(cp, c)) {
                String from = WorkerCommand.location(c).map(Path::toString)
                        .orElse(String.valueOf(c.getProtectionDomain().getCodeSource()));
                throw r.bad("worker.classpath", "workers would not find " + c.getName() + " (loaded here from " + from
                        + "): this JVM's classpath cannot be derived under this launcher (java.class.path and the"
                        + " context class loader give " + cp.size() + " entries). Set the worker classpath to jars and"
                        + " directories holding pvm-akka-bridge, its dependencies and your task classes, e.g."
                        + " pvm-akka.worker.classpath = [\"/opt/app/lib/*\", \"/opt/app/classes\"] or"
                        + " PvmSettings.builder().workerClasspath(List.of(\"/opt/app/lib/*\"))");
            }
        }
        return cp;
    }

    private static void readBridgeDispatcher(SettingsReader r) {
        String why = " (libpvm is not thread-safe: the bridge keeps one thread)";
        r.oneOf("bridge-dispatcher.type", Set.of("PinnedDispatcher"), "must be PinnedDispatcher" + why);
        r.oneOf("bridge-dispatcher.executor", Set.of("thread-pool-executor"), "must be thread-pool-executor" + why);
        if (r.bool("bridge-dispatcher.thread-pool-executor.allow-core-timeout")) {
            throw r.bad("bridge-dispatcher.thread-pool-executor.allow-core-timeout", "must be off" + why);
        }
    }

    private List<String> registrars(SettingsReader r, List<Class<?>> loaded) {
        String key = "wire.registrars";
        String allowed = "each entry must name a public class implementing " + WireRegistrar.class.getName()
                + " with a public no-argument constructor, on the classpath";
        List<String> names = r.strings(key, "class names of " + WireRegistrar.class.getName() + " implementations");
        for (String name : names) {
            if (registrarInstances.containsKey(name)) {
                loaded.add(registrarInstances.get(name).getClass());
                continue;
            }
            Class<?> c;
            try {
                c = Class.forName(name, false, classLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw r.bad(key, "class " + name + " is not on the classpath; " + allowed);
            }
            String problem = instantiableProblem(c);
            if (problem != null) {
                throw r.bad(key, name + " " + problem + "; " + allowed);
            }
            loaded.add(c);
        }
        return names;
    }

    private static Map<String, Integer> wireClasses(SettingsReader r, List<Class<?>> loaded) {
        Config cls = r.object("wire.classes", "must be an object of class names with their wire IDs, e.g."
                + " { \"com.example.Point\" = 1000 }");
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : cls.entrySet()) {
            String name = ConfigUtil.splitPath(e.getKey()).stream().reduce((a, b) -> a + "." + b).orElse("");
            String key = "wire.classes." + e.getKey();
            int id = r.intIn(key, WireRegistry.FIRST_USER_ID, Integer.MAX_VALUE);
            try {
                loaded.add(Class.forName(name, false, classLoader()));
            } catch (ClassNotFoundException | LinkageError x) {
                throw r.bad(key, "class " + name + " is not on the classpath; the keys must name classes"
                        + " (quoted, e.g. \"com.example.Point\" = 1000)");
            }
            if (classes.containsValue(id)) {
                throw r.bad(key, "wire ID " + id + " is taken by another entry; each class needs its own ID");
            }
            classes.put(name, id);
        }
        return classes;
    }

    private static ClassLoader classLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : PvmSettings.class.getClassLoader();
    }

    /** Why workers cannot instantiate {@code c} by its name, or null when they can. */
    static String instantiableProblem(Class<?> c) {
        if (!WireRegistrar.class.isAssignableFrom(c)) {
            return "does not implement " + WireRegistrar.class.getName();
        }
        if (c.isHidden() || c.isSynthetic() || c.getName().contains("$$Lambda")) {
            return "is a lambda (workers cannot instantiate it by name)";
        }
        if (c.isAnonymousClass() || c.isLocalClass()) {
            return "is an anonymous or local class (workers cannot instantiate it by name)";
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            return "is abstract";
        }
        if (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())) {
            return "is an inner (non-static) class";
        }
        if (!Modifier.isPublic(c.getModifiers())) {
            return "is not public";
        }
        try {
            Constructor<?> ctor = c.getConstructor();
            if (!Modifier.isPublic(ctor.getModifiers())) {
                return "has no public no-argument constructor";
            }
        } catch (NoSuchMethodException e) {
            return "has no public no-argument constructor";
        }
        return null;
    }

    /**
     * Reads and validates the {@code pvm-akka} section of a full configuration.
     *
     * @param config the full configuration, e.g. {@code ConfigFactory.load()}
     * @return the settings
     * @throws PvmSettingsException naming the first bad key, its value and what it allows
     */
    public static PvmSettings create(Config config) {
        return new PvmSettings(config, Map.of());
    }

    /** {@return a builder starting from pvm-akka's {@code reference.conf}} */
    public static Builder builder() {
        return new Builder(ConfigFactory.defaultReference());
    }

    /**
     * A builder starting from a full configuration.
     *
     * @param config the base configuration, e.g. {@code ConfigFactory.load()}
     * @return the builder
     */
    public static Builder builder(Config config) {
        return new Builder(config);
    }

    static {
        SettingsInternals.install(new SettingsInternals.Access() {
            @Override
            public JnaPvmOptions pvmOptions(PvmSettings s) {
                return s.pvmOptions;
            }

            @Override
            public WireSettings wire(PvmSettings s) {
                return s.wire;
            }

            @Override
            public WorkerCommand worker(PvmSettings s) {
                return s.worker;
            }

            @Override
            public PvmSettings withWorker(PvmSettings s, WorkerCommand command) {
                return new PvmSettings(s.config, s.registrarInstances, command);
            }
        });
    }

    /** {@return the largest encoded message, either way ({@code max-message-bytes})} */
    public int maxMessageBytes() {
        return wire.maxMessageBytes();
    }

    /** {@return the full configuration these settings were read from (with the builder's values)} */
    public Config config() {
        return config;
    }

    /** {@return {@code ask-timeout}: how long calls through the facade and status queries wait} */
    public Duration askTimeout() {
        return askTimeout;
    }

    /** {@return {@code internal-ask-timeout}: how long the runtime's actors wait for one another} */
    public Duration internalAskTimeout() {
        return internalAskTimeout;
    }

    /** {@return {@code facade.scheduler-tick-duration}, empty when {@code akka.scheduler.tick-duration} is kept} */
    public Optional<Duration> facadeSchedulerTick() {
        return Optional.ofNullable(schedulerTick);
    }

    /** {@return {@code worker.startup-cache}: whether workers start faster from a cache} */
    public boolean workerStartupCache() {
        return startupCache;
    }

    /**
     * {@return {@code worker.cache-directory}, empty for the default ({@code $XDG_CACHE_HOME/pvm-akka} or
     * {@code ~/.cache/pvm-akka})}
     */
    public Optional<Path> workerCacheDirectory() {
        return Optional.ofNullable(cacheDirectory);
    }

    /**
     * {@return the registrar instances set with {@link Builder#registrar(WireRegistrar)}, by class name (used in
     * this JVM)}
     */
    public Map<String, WireRegistrar> registrarInstances() {
        return registrarInstances;
    }

    /**
     * Sets pvm-akka settings in code, on top of a configuration; {@link #build()} validates them
     * all as {@link PvmSettings#create} does.
     */
    public static final class Builder {
        private final Config base;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final List<String> registrars;
        private final Map<String, WireRegistrar> instances = new LinkedHashMap<>();
        private final Map<String, Integer> classes = new LinkedHashMap<>();

        private Builder(Config base) {
            this.base = base;
            this.registrars = base.hasPath("pvm-akka.wire.registrars")
                    ? new ArrayList<>(base.getStringList("pvm-akka.wire.registrars")) : new ArrayList<>();
        }

        private Builder set(String key, Object value) {
            values.put("pvm-akka." + key, value);
            return this;
        }

        private static String millis(Duration d) {
            return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toNanos() + "ns";
        }

        /**
         * {@code implementation}: the PVM the runtime talks to.
         *
         * @param implementation libpvm through JNA, or a bound simulated cluster
         * @return this builder
         */
        public Builder implementation(Implementation implementation) {
            return set("implementation", implementation.name().toLowerCase(java.util.Locale.ROOT));
        }

        /**
         * {@code library}: libpvm's file name or absolute path.
         *
         * @param library a file name for the dynamic linker, or an absolute path
         * @return this builder
         */
        public Builder library(String library) {
            return set("library", library);
        }

        /**
         * {@code pvm-tmp}: PVM_TMP of the virtual machine to attach to (absolute).
         *
         * @param dir an absolute directory
         * @return this builder
         */
        public Builder pvmTmp(Path dir) {
            return set("pvm-tmp", dir.toString());
        }

        /**
         * {@code allow-root}: whether libpvm may run when this process runs as root.
         *
         * @param allow true to allow it
         * @return this builder
         */
        public Builder allowRoot(boolean allow) {
            return set("allow-root", allow);
        }

        /**
         * {@code max-message-bytes}: the largest encoded message, either way.
         *
         * @param bytes 1 KiB to 1 GiB
         * @return this builder
         */
        public Builder maxMessageBytes(long bytes) {
            return set("max-message-bytes", bytes);
        }

        /**
         * {@code fragment-size}; 0 keeps libpvm's 4 KiB.
         *
         * @param bytes the fragment size in bytes, 1 KiB to 64 MiB, or 0
         * @return this builder
         */
        public Builder fragmentSize(long bytes) {
            return set("fragment-size", bytes);
        }

        /**
         * {@code route}: {@code "pvmd"}, {@code "allow-direct"} or {@code "direct"}.
         *
         * @param route whether messages go through the pvmds or task to task
         * @return this builder
         */
        public Builder route(String route) {
            return set("route", route);
        }

        /**
         * {@code debug}: above 1 forwards workers' output to their owners.
         *
         * @param level 0 to 9
         * @return this builder
         */
        public Builder debug(int level) {
            return set("debug", level);
        }

        /**
         * {@code ask-timeout}: how long calls through the facade and status queries wait.
         *
         * @param d 1 ms to 1 day
         * @return this builder
         */
        public Builder askTimeout(Duration d) {
            return set("ask-timeout", millis(d));
        }

        /**
         * {@code internal-ask-timeout}: how long the runtime's actors wait for one another.
         *
         * @param d 1 s to 1 day
         * @return this builder
         */
        public Builder internalAskTimeout(Duration d) {
            return set("internal-ask-timeout", millis(d));
        }

        /**
         * {@code result-grace}: how long after a task's exit its result may still arrive before the exit is
         * {@code NO_RESULT}.
         *
         * @param d 1 ms to 10 min
         * @return this builder
         */
        public Builder resultGrace(Duration d) {
            return set("result-grace", millis(d));
        }

        /**
         * {@code core-counter.timeout}: how long a host's reporter may take to answer before the host is unresponsive.
         *
         * @param d 100 ms to 1 h
         * @return this builder
         */
        public Builder coreCounterTimeout(Duration d) {
            return set("core-counter.timeout", millis(d));
        }

        /**
         * {@code core-counter.reprobe-interval}: how often unresponsive hosts are probed again.
         *
         * @param d 10 ms to 1 day
         * @return this builder
         */
        public Builder reprobeInterval(Duration d) {
            return set("core-counter.reprobe-interval", millis(d));
        }

        /**
         * {@code liveness.heartbeat-interval}: how often each host's sentinel sends its heartbeat.
         *
         * @param d 10 ms to 1 h
         * @return this builder
         */
        public Builder heartbeatInterval(Duration d) {
            return set("liveness.heartbeat-interval", millis(d));
        }

        /**
         * {@code liveness.timeout}: a host whose heartbeat is silent this long is declared lost.
         *
         * @param d at least twice the heartbeat interval, at most 1 day
         * @return this builder
         */
        public Builder livenessTimeout(Duration d) {
            return set("liveness.timeout", millis(d));
        }

        /**
         * {@code http.port}: serve the status page and metrics on this port (0 = off).
         *
         * @param port the TCP port, 0 for none
         * @return this builder
         */
        public Builder httpPort(int port) {
            return set("http.port", port);
        }

        /**
         * {@code http.interface}: the address the status page binds.
         *
         * @param address an IP address or host name
         * @return this builder
         */
        public Builder httpInterface(String address) {
            return set("http.interface", address);
        }

        /**
         * {@code worker.payload-timeout}: how long a worker waits for its spawn payload.
         *
         * @param d whole seconds, 1 s to 1 day
         * @return this builder
         */
        public Builder payloadTimeout(Duration d) {
            return set("worker.payload-timeout", millis(d));
        }

        /**
         * {@code worker.java}: absolute path of java on the hosts.
         *
         * @param java an absolute path
         * @return this builder
         */
        public Builder workerJava(Path java) {
            return set("worker.java", java.toString());
        }

        /**
         * {@code worker.jvm-options}: the options of worker JVMs (replaces them).
         *
         * @param options non-empty strings
         * @return this builder
         */
        public Builder workerJvmOptions(List<String> options) {
            return set("worker.jvm-options", List.copyOf(options));
        }

        /**
         * {@code worker.classpath} (replaces it): must hold pvm-akka-bridge and your task classes.
         *
         * @param entries jar files, directories or {@code dir/*} wildcards
         * @return this builder
         */
        public Builder workerClasspath(List<String> entries) {
            return set("worker.classpath", List.copyOf(entries));
        }

        /**
         * {@code worker.working-directory}: the working directory of worker JVMs.
         *
         * @param dir an absolute directory
         * @return this builder
         */
        public Builder workerWorkingDirectory(Path dir) {
            return set("worker.working-directory", dir.toString());
        }

        /**
         * {@code worker.startup-cache}: whether workers start faster from a cache (JNA extracted once, a class-data
         * sharing archive).
         *
         * @param on true to use the cache
         * @return this builder
         */
        public Builder workerStartupCache(boolean on) {
            return set("worker.startup-cache", on);
        }

        /**
         * Adds a registrar class to {@code wire.registrars}; this JVM and the workers instantiate it by name.
         *
         * @param registrar a public class with a public no-argument constructor
         * @return this builder
         */
        public Builder registrar(Class<? extends WireRegistrar> registrar) {
            registrars.add(registrar.getName());
            return this;
        }

        /**
         * Adds a registrar: this JVM uses the instance, workers a new instance of its class (by name).
         *
         * @param registrar the instance this JVM uses
         * @return this builder
         * @throws PvmSettingsException when workers cannot instantiate its class by name (a lambda,
         *     an anonymous, local, inner or non-public class, no public no-argument constructor)
         */
        public Builder registrar(WireRegistrar registrar) {
            Class<?> c = registrar.getClass();
            String problem = instantiableProblem(c);
            if (problem != null) {
                throw new PvmSettingsException("wire.registrars", "instance of " + c.getName(), "its class " + problem
                        + "; workers instantiate registrars by class name, so a registrar instance must be of a public"
                        + " class with a public no-argument constructor");
            }
            registrars.add(c.getName());
            instances.put(c.getName(), registrar);
            return this;
        }

        /**
         * Adds a user class with its wire ID to {@code wire.classes}.
         *
         * @param type the class
         * @param id its wire ID, {@link WireRegistry#FIRST_USER_ID} (1000) or above
         * @return this builder
         */
        public Builder wireClass(Class<?> type, int id) {
            classes.put(type.getName(), id);
            return this;
        }

        /**
         * Sets any key below {@code pvm-akka} to a HOCON value (e.g. {@code "drain-batch", 500}).
         *
         * @param key the key below {@code pvm-akka}
         * @param value a string, number, boolean, list or map
         * @return this builder
         */
        public Builder setting(String key, Object value) {
            return set(key, value);
        }

        /** {@return the full configuration: the base with the values set here} */
        public Config toConfig() {
            Config c = base;
            for (Map.Entry<String, Object> e : values.entrySet()) {
                c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
            }
            c = c.withValue("pvm-akka.wire.registrars", ConfigValueFactory.fromIterable(registrars));
            for (Map.Entry<String, Integer> e : classes.entrySet()) {
                c = c.withValue("pvm-akka.wire.classes." + ConfigUtil.quoteString(e.getKey()),
                        ConfigValueFactory.fromAnyRef(e.getValue()));
            }
            return c;
        }

        /**
         * Validates every setting and returns them.
         *
         * @return the settings
         * @throws PvmSettingsException naming the first bad key, its value and what it allows
         */
        public PvmSettings build() {
            return new PvmSettings(toConfig(), instances);
        }
    }
}
