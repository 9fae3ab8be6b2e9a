package org.pvmakka.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvmakka.internal.actors.SettingsInternals;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.internal.worker.WorkerMain;
import org.pvmakka.task.WireRegistrar;
import org.pvmakka.task.WireRegistry;

class PvmSettingsTest {

    /** Bad values (HOCON) for every key of reference.conf; a key missing here fails the walk. */
    static final Map<String, List<String>> BAD = new TreeMap<>(Map.ofEntries(
            Map.entry("implementation", List.of("fake", "\"\"", "[jna]")),
            Map.entry("library", List.of("\"\"", "\"  \"", "[a]")),
            Map.entry("pvm-tmp", List.of("relative/dir", "[]", "{}")),
            Map.entry("allow-root", List.of("maybe", "[on]")),
            Map.entry("survive-vm-halt", List.of("perhaps", "[on]")),
            Map.entry("reattach-interval", List.of("-1s", "0", "10ms", "2h", "abc")),
            Map.entry("flow-control.window-messages", List.of("0", "-1", "2000000", "abc", "1.5")),
            Map.entry("flow-control.window-bytes", List.of("0", "-1", "100", "2 GiB", "abc")),
            Map.entry("flow-control.send-timeout", List.of("-1s", "0", "2d", "abc")),
            Map.entry("max-message-bytes", List.of("0", "-1", "100", "2 GiB", "abc")),
            Map.entry("fragment-size", List.of("-1", "100", "128 MiB", "abc")),
            Map.entry("route", List.of("fast", "\"\"", "[direct]")),
            Map.entry("debug", List.of("-1", "10", "abc", "1.5")),
            Map.entry("result-grace", List.of("-1s", "0s", "11min", "abc")),
            Map.entry("kill-grace", List.of("-1s", "0", "2h", "abc")),
            Map.entry("drain-batch", List.of("0", "-5", "2000000", "abc")),
            Map.entry("max-tasks-per-spawn", List.of("0", "-1", "2000000", "abc")),
            Map.entry("ask-timeout", List.of("-1s", "0", "2d", "abc")),
            Map.entry("internal-ask-timeout", List.of("-1s", "100ms", "2d", "abc")),
            Map.entry("facade.scheduler-tick-duration", List.of("-1ms", "0", "2s", "abc")),
            Map.entry("worker.java", List.of("java", "[]")),
            Map.entry("worker.jvm-options", List.of("\"-Xmx1g\"", "[\"\"]", "[[a]]")),
            Map.entry("worker.classpath", List.of("\"a.jar\"", "[\" \"]")),
            Map.entry("worker.working-directory", List.of("relative", "[]")),
            Map.entry("worker.payload-timeout", List.of("-1s", "0", "500ms", "2d", "abc")),
            Map.entry("worker.startup-cache", List.of("maybe", "[]")),
            Map.entry("worker.cache-directory", List.of("relative/dir", "[]")),
            Map.entry("wire.registrars", List.of("[com.example.MissingRegistrar]", "[java.lang.String]",
                    "[\"" + NoDefaultConstructor.class.getName() + "\"]", "[\"" + Hidden.class.getName() + "\"]",
                    "[\"" + Clashing.class.getName() + "\"]", "x", "[\"\"]")),
            Map.entry("wire.classes", List.of("{ \"java.util.Random\" = 5 }", "{ \"com.example.Missing\" = 1000 }",
                    "{ \"java.util.Random\" = abc }", "{ \"java.util.Random\" = 1000, \"java.util.Date\" = 1000 }",
                    "5")),
            Map.entry("core-counter.timeout", List.of("-1s", "0", "2h", "abc")),
            Map.entry("core-counter.reprobe-interval", List.of("-1s", "0", "1ms", "2d", "abc")),
            Map.entry("liveness.heartbeat-interval", List.of("-1s", "0", "1ms", "2h", "abc")),
            Map.entry("liveness.timeout", List.of("1s", "-1s", "0", "2d", "abc")),
            Map.entry("http.port", List.of("-1", "65536", "abc", "1.5")),
            Map.entry("http.interface", List.of("\"\"", "\" \"", "[a]")),
            Map.entry("bridge-dispatcher.type", List.of("Dispatcher", "[]")),
            Map.entry("bridge-dispatcher.executor", List.of("fork-join-executor")),
            Map.entry("bridge-dispatcher.thread-pool-executor.allow-core-timeout", List.of("on", "maybe"))));

    /** A public registrar, instantiable by name. */
    public static final class Points implements WireRegistrar {
        static final AtomicInteger CALLS = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void registerClasses(WireRegistry registry) {
            CALLS.incrementAndGet();
            calls.incrementAndGet();
            registry.register(Point.class, 1100);
        }
    }

    /** Needs an argument: workers cannot instantiate it. */
    public static final class NoDefaultConstructor implements WireRegistrar {
        public NoDefaultConstructor(int x) {
        }

        @Override
        public void registerClasses(WireRegistry registry) {
        }
    }

    static final class Hidden implements WireRegistrar {
        @Override
        public void registerClasses(WireRegistry registry) {
        }
    }

    /** Registers an ID that wire.classes of the test config also uses... or a reserved one. */
    public static final class Clashing implements WireRegistrar {
        @Override
        public void registerClasses(WireRegistry registry) {
            registry.register(java.util.Random.class, 5);
        }
    }

    /** A user wire class. */
    public record Point(int x, int y) {
    }

    /** Another user wire class. */
    public record Line(Point from, Point to) {
    }

    static Config reference() {
        return ConfigFactory.defaultReference();
    }

    /** Every leaf key below pvm-akka, empty objects (such as wire.classes = {}) included. */
    static List<String> leafKeys(ConfigObject o, String prefix) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
            String key = prefix.isEmpty() ? ConfigUtil.quoteString(e.getKey()).replace("\"", "")
                    : prefix + "." + e.getKey();
            if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
                out.addAll(leafKeys(child, key));
            } else {
                out.add(key);
            }
        }
        return out;
    }

    @Test
    void everyKeyOfReferenceConfRefusesItsBadValuesNamingTheKey() {
        Config ref = reference();
        PvmSettings.create(ref); // the defaults are valid
        List<String> keys = leafKeys(ref.getConfig("pvm-akka").root(), "");
        // the simple walk over entrySet() sees the same leaves (minus empty objects)
        assertTrue(keys.containsAll(ref.getConfig("pvm-akka").entrySet().stream().map(Map.Entry::getKey).toList()));
        List<String> missing = keys.stream().filter(k -> !BAD.containsKey(k)).toList();
        assertTrue(missing.isEmpty(), "keys of reference.conf without bad values in this test: " + missing);
        assertTrue(keys.containsAll(BAD.keySet()), "stale keys in BAD: " + new TreeSet<>(BAD.keySet()).removeAll(keys));
        int checked = 0;
        for (String key : keys) {
            for (String bad : BAD.get(key)) {
                Config c = ConfigFactory.parseString("pvm-akka." + key + " = " + bad).withFallback(ref);
                PvmSettingsException e = assertThrows(PvmSettingsException.class, () -> PvmSettings.create(c),
                        key + " = " + bad + " was accepted");
                String m = e.getMessage();
                assertTrue(e.key().equals(key) || e.key().startsWith(key + ".") || key.startsWith("wire."),
                        key + " = " + bad + " named another key: " + m);
                assertTrue(m.startsWith("pvm-akka." + e.key() + " = "), m);
                assertTrue(m.length() > ("pvm-akka." + e.key() + " = ").length() + 5, "says what is allowed: " + m);
                if (!bad.startsWith("{") && !bad.startsWith("[")) {
                    assertTrue(m.contains(bad.replace("\"", "")), "names the value " + bad + ": " + m);
                }
                checked++;
            }
        }
        assertTrue(checked > 90, "checked " + checked);
    }

    @Test
    void theErrorsSayWhatIsAllowed() {
        assertEquals("pvm-akka.core-counter.reprobe-interval = \"-1s\": must be a duration from 10ms to 1d"
                + " (e.g. 30s, 500ms)", message("pvm-akka.core-counter.reprobe-interval = -1s"));
        assertEquals("pvm-akka.ask-timeout = \"abc\": must be a duration from 1ms to 1d (e.g. 30s, 500ms)",
                message("pvm-akka.ask-timeout = abc"));
        assertEquals("pvm-akka.liveness.timeout = \"3s\": must be at least twice"
                + " pvm-akka.liveness.heartbeat-interval (2s)",
                message("pvm-akka.liveness.heartbeat-interval = 2s\npvm-akka.liveness.timeout = 3s"));
        String m = message("pvm-akka.wire.registrars = [com.example.MissingRegistrar]");
        assertTrue(m.startsWith("pvm-akka.wire.registrars = [\"com.example.MissingRegistrar\"]: class"
                + " com.example.MissingRegistrar is not on the classpath"), m);
        assertTrue(message("pvm-akka.wire.registrars = [\"" + Hidden.class.getName() + "\"]").contains("is not public"));
        assertTrue(message("pvm-akka.wire.registrars = [java.lang.String]").contains("does not implement"));
        assertTrue(message("pvm-akka.wire.registrars = [\"" + Clashing.class.getName() + "\"]")
                .startsWith("pvm-akka.wire = "));
        assertTrue(message("pvm-akka.implementation = fake").contains("must be jna or simulated"));
        m = message("pvm-akka.wire.classes { \"java.util.Random\" = 1000 }");
        assertTrue(m.startsWith("pvm-akka.wire = ") && m.contains("java.util.Random"), m);
    }

    static String message(String hocon) {
        Config c = ConfigFactory.parseString(hocon).withFallback(reference());
        return assertThrows(PvmSettingsException.class, () -> PvmSettings.create(c)).getMessage();
    }

    @Test
    void builderRoundTrip(@TempDir Path tmp) throws Exception {
        Points points = new Points();
        Path java = Path.of(WorkerCommand.currentJava());
        PvmSettings s = PvmSettings.builder()
                .implementation(PvmSettings.Implementation.SIMULATED)
                .registrar(points)
                .wireClass(Line.class, 1200)
                .workerClasspath(List.of("/opt/app/lib/app.jar", "/opt/app/lib/pvm-akka-bridge.jar"))
                .workerJava(java)
                .workerJvmOptions(List.of("-Xmx64m"))
                .workerWorkingDirectory(tmp)
                .pvmTmp(tmp)
                .allowRoot(true)
                .askTimeout(Duration.ofSeconds(7))
                .internalAskTimeout(Duration.ofSeconds(90))
                .resultGrace(Duration.ofMillis(250))
                .coreCounterTimeout(Duration.ofSeconds(12))
                .reprobeInterval(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofMillis(400))
                .livenessTimeout(Duration.ofSeconds(4))
                .payloadTimeout(Duration.ofSeconds(90))
                .debug(2)
                .route("direct")
                .maxMessageBytes(1 << 20)
                .fragmentSize(128 << 10)
                .workerStartupCache(false)
                .setting("drain-batch", 77)
                .build();
        assertEquals(PvmSettings.Implementation.SIMULATED, s.implementation);
        assertEquals(List.of(Points.class.getName()), SettingsInternals.wire(s).registrars());
        assertEquals(Map.of(Line.class.getName(), 1200), SettingsInternals.wire(s).classes());
        assertSame(points, s.registrarInstances().get(Points.class.getName()));
        assertEquals(List.of("/opt/app/lib/app.jar", "/opt/app/lib/pvm-akka-bridge.jar"), SettingsInternals.worker(s).classpath());
        assertEquals(java.toString(), SettingsInternals.worker(s).javaCommand());
        assertEquals(tmp.toString(), SettingsInternals.worker(s).workingDirectory());
        assertEquals(List.of("-Xmx64m", "-D" + WorkerMain.PROP_PAYLOAD_TIMEOUT + "=90", "-D" + WorkerMain.PROP_ROUTE
                + "=direct", "-D" + WorkerMain.PROP_FRAGMENT_SIZE + "=" + (128 << 10)), SettingsInternals.worker(s).jvmOptions());
        assertEquals(tmp.toString(), SettingsInternals.pvmOptions(s).pvmTmp());
        assertTrue(SettingsInternals.pvmOptions(s).allowRoot());
        assertEquals(Duration.ofSeconds(7), s.askTimeout);
        assertEquals(Duration.ofSeconds(7), s.askTimeout());
        assertEquals(Duration.ofSeconds(90), s.internalAskTimeout());
        assertEquals(Duration.ofMillis(250), s.resultGrace);
        assertEquals(Duration.ofSeconds(12), s.coreTimeout);
        assertEquals(Duration.ofSeconds(3), s.reprobeInterval);
        assertEquals(Duration.ofMillis(400), s.heartbeatInterval);
        assertEquals(Duration.ofSeconds(4), s.livenessTimeout);
        assertEquals(Duration.ofSeconds(90), s.payloadTimeout);
        assertEquals(2, s.debug);
        assertEquals(1 << 20, SettingsInternals.wire(s).maxMessageBytes());
        assertEquals(128 << 10, SettingsInternals.pvmOptions(s).fragmentSize());
        assertEquals(77, s.drainBatch);
        assertFalse(s.workerStartupCache());

        // the same settings read back from the builder's configuration (minus the instance)
        PvmSettings again = PvmSettings.create(s.config());
        assertEquals(SettingsInternals.wire(s), SettingsInternals.wire(again));
        assertEquals(SettingsInternals.worker(s), SettingsInternals.worker(again));
        assertEquals(SettingsInternals.pvmOptions(s), SettingsInternals.pvmOptions(again));
        assertEquals(s.askTimeout, again.askTimeout);
        assertTrue(again.registrarInstances().isEmpty());

        // this JVM uses the instance; workers instantiate the class by name, with the same fingerprint
        int before = Points.CALLS.get();
        WireCodec local = new WireCodec(SettingsInternals.wire(s), s.registrarInstances());
        assertEquals(2, points.calls.get(), "the instance registered (once when validated, once now)");
        WireCodec byName = new WireCodec(SettingsInternals.wire(s));
        assertEquals(before + 2, Points.CALLS.get());
        assertEquals(local.fingerprint(), byName.fingerprint());
    }

    @Test
    void aRegistrarInstanceWorkersCannotInstantiateIsRefusedClearly() {
        PvmSettingsException lambda = assertThrows(PvmSettingsException.class,
                () -> PvmSettings.builder().registrar(r -> r.register(java.util.Random.class, 1000)));
        assertTrue(lambda.getMessage().startsWith("pvm-akka.wire.registrars = instance of "), lambda.getMessage());
        assertTrue(lambda.getMessage().contains("is a lambda"), lambda.getMessage());
        assertTrue(lambda.getMessage().contains("public no-argument constructor"), lambda.getMessage());
        PvmSettingsException anonymous = assertThrows(PvmSettingsException.class,
                () -> PvmSettings.builder().registrar(new WireRegistrar() {
                    @Override
                    public void registerClasses(WireRegistry registry) {
                    }
                }));
        assertTrue(anonymous.getMessage().contains("anonymous"), anonymous.getMessage());
        assertTrue(assertThrows(PvmSettingsException.class, () -> PvmSettings.builder().registrar(new Hidden()))
                .getMessage().contains("is not public"));
        assertTrue(assertThrows(PvmSettingsException.class,
                () -> PvmSettings.builder().registrar(new NoDefaultConstructor(1))).getMessage()
                .contains("no public no-argument constructor"));
        // a bad value set in code fails build() as it does in a file
        PvmSettingsException e = assertThrows(PvmSettingsException.class,
                () -> PvmSettings.builder().heartbeatInterval(Duration.ofSeconds(-1)).build());
        assertTrue(e.getMessage().startsWith("pvm-akka.liveness.heartbeat-interval = \"-1000ms\": "), e.getMessage());
    }

    @Test
    void readingSettingsHasNoSideEffects(@TempDir Path tmp) {
        Path cache = tmp.resolve("cache");
        PvmSettings s = PvmSettings.create(ConfigFactory.parseString("pvm-akka.worker.cache-directory = \""
                + cache + "\"").withFallback(reference()));
        assertFalse(Files.exists(cache), "reading settings created the start-up cache");
        assertTrue(s.workerStartupCache());
        assertEquals(cache, s.workerCacheDirectory().orElseThrow());
        assertTrue(SettingsInternals.worker(s).jvmOptions().stream().noneMatch(o -> o.startsWith("-XX:SharedArchiveFile")
                || o.startsWith("-Djna.")), "the runtime adds the cache options, not the settings");
    }

    @Test
    void theRuntimePreparesTheStartupCacheWhenItStarts(@TempDir Path tmp) {
        Path cache = tmp.resolve("cache");
        PvmSettings s = PvmSettings.builder().setting("worker.cache-directory", cache.toString()).build();
        assertFalse(Files.exists(cache));
        akka.actor.testkit.typed.javadsl.ActorTestKit kit = akka.actor.testkit.typed.javadsl.ActorTestKit.create(
                "startup-cache", s.config());
        try (org.pvmakka.testkit.SimulatedCluster cluster = new org.pvmakka.testkit.SimulatedCluster(1)) {
            cluster.addHost("master", 1);
            org.pvmakka.testkit.SimulatedVm.start(kit.system(), cluster, s).close();
            // JNA's library is in a jar here: the runtime extracted it into the cache when it started
            try (var files = Files.walk(cache)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().contains("jnidispatch")),
                        "the runtime prepared the cache in " + cache);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            kit.shutdownTestKit();
        }
    }

    /** Compiles a registrar into {@code dir} (not on this JVM's classpath), as an application's class. */
    static Path compileRegistrar(Path dir) throws Exception {
        Path src = dir.resolve("src/ext/ExtRegistrar.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package ext; public class ExtRegistrar implements org.pvmakka.task.WireRegistrar {"
                + " public void registerClasses(org.pvmakka.task.WireRegistry r) { r.register(ExtRegistrar.class, 1500); } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString()));
        return classes;
    }

    static <T> T withContextLoader(ClassLoader l, java.util.function.Supplier<T> body) {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(l);
        try {
            return body.get();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void theDefaultWorkerClasspathHoldsClassesOfAnExecJavaClassLoader(@TempDir Path tmp) throws Exception {
        Path classes = compileRegistrar(tmp);
        Config c = ConfigFactory.parseString("pvm-akka.wire.registrars = [ext.ExtRegistrar]").withFallback(reference());
        try (java.net.URLClassLoader exec = new java.net.URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            PvmSettings s = withContextLoader(exec, () -> PvmSettings.create(c));
            assertTrue(SettingsInternals.worker(s).classpath().contains(classes.toString()), SettingsInternals.worker(s).classpath().toString());
            assertTrue(SettingsInternals.worker(s).classpath().containsAll(WorkerCommand.currentClasspath()));
        }
    }

    @Test
    void aClasspathThatCannotBeDerivedIsAnErrorSayingHowToSetIt(@TempDir Path tmp) throws Exception {
        Path classes = compileRegistrar(tmp);
        byte[] bytes = Files.readAllBytes(classes.resolve("ext/ExtRegistrar.class"));
        ClassLoader opaque = new ClassLoader(getClass().getClassLoader()) { // tells no entries
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals("ext.ExtRegistrar")) {
                    return defineClass(name, bytes, 0, bytes.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
        Config c = ConfigFactory.parseString("pvm-akka.wire.registrars = [ext.ExtRegistrar]").withFallback(reference());
        PvmSettingsException e = withContextLoader(opaque,
                () -> assertThrows(PvmSettingsException.class, () -> PvmSettings.create(c)));
        assertEquals("worker.classpath", e.key());
        assertTrue(e.getMessage().startsWith("pvm-akka.worker.classpath = []: workers would not find ext.ExtRegistrar"),
                e.getMessage());
        assertTrue(e.getMessage().contains("pvm-akka.worker.classpath = [\""), e.getMessage());
        // set explicitly, it is taken as it is
        Config set = ConfigFactory.parseString("pvm-akka.worker.classpath = [\"" + classes + "\"]").withFallback(c);
        assertEquals(List.of(classes.toString()), SettingsInternals.worker(withContextLoader(opaque, () -> PvmSettings.create(set))).classpath());
    }

    @Test
    void theFacadeRefusesABadConfigurationAtOnce() {
        Config bad = ConfigFactory.parseString("pvm-akka.core-counter.reprobe-interval = -30s")
                .withFallback(ConfigFactory.load());
        PvmSettingsException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(PvmSettingsException.class, () -> VirtualMachine.create(bad)));
        assertEquals("core-counter.reprobe-interval", e.key());
        Config badTick = ConfigFactory.parseString("pvm-akka.facade.scheduler-tick-duration = abc")
                .withFallback(ConfigFactory.load());
        assertEquals("facade.scheduler-tick-duration",
                assertThrows(PvmSettingsException.class, () -> VirtualMachine.create(badTick)).key());
    }
}
