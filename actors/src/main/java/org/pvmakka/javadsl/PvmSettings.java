package org.pvmakka.javadsl;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.internal.worker.WorkerStartup;

/**
 * The runtime's settings, read once from the {@code pvm-akka} section of the configuration
 * (documented key by key in {@code reference.conf}).
 */
public final class PvmSettings {
    /** The dispatcher of the bridge actor. */
    public static final String BRIDGE_DISPATCHER = "pvm-akka.bridge-dispatcher";

    /** Which {@code Pvm} implementation the runtime uses. */
    public enum Implementation {
        /** libpvm3 through JNA: a real pvmd. */
        JNA,
        /** An in-process {@code SimulatedCluster} bound to the actor system (tests). */
        SIMULATED
    }

    public final Implementation implementation;
    public final JnaPvmOptions pvmOptions;
    public final int route;
    public final WireSettings wire;
    public final WorkerCommand worker;
    public final Duration payloadTimeout;
    public final int debug;
    public final Duration resultGrace;
    public final Duration killGrace;
    public final int drainBatch;
    public final Duration askTimeout;
    public final int maxTasksPerSpawn;
    public final Duration coreTimeout;
    public final Duration reprobeInterval;
    public final Duration heartbeatInterval;
    public final Duration livenessTimeout;

    private PvmSettings(Config c) {
        implementation = switch (c.getString("implementation")) {
            case "jna" -> Implementation.JNA;
            case "simulated" -> Implementation.SIMULATED;
            default -> throw new IllegalArgumentException("pvm-akka.implementation must be jna or simulated, got '"
                    + c.getString("implementation") + "'");
        };
        String tmp = c.getString("pvm-tmp");
        long max = c.getBytes("max-message-bytes");
        if (max <= 0 || max > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pvm-akka.max-message-bytes must be between 1 and 2 GiB, got " + max);
        }
        pvmOptions = new JnaPvmOptions(c.getString("library"), tmp.isEmpty() ? null : tmp, c.getBoolean("allow-root"),
                (int) max, (int) (long) c.getBytes("fragment-size"));
        String routeName = c.getString("route");
        try {
            route = org.pvmakka.internal.worker.WorkerMain.routeOption(routeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pvm-akka." + e.getMessage(), e);
        }
        if (route == 0) {
            throw new IllegalArgumentException("pvm-akka.route must be pvmd, allow-direct or direct, got ''");
        }
        List<String> registrars = c.getStringList("wire.registrars");
        Map<String, Integer> classes = new LinkedHashMap<>();
        Config cls = c.getConfig("wire.classes");
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : cls.entrySet()) {
            classes.put(e.getKey().replace("\"", ""), cls.getInt(e.getKey()));
        }
        wire = new WireSettings((int) max, registrars, classes);
        String java = c.getString("worker.java");
        List<String> cp = c.getStringList("worker.classpath");
        String wd = c.getString("worker.working-directory");
        payloadTimeout = c.getDuration("worker.payload-timeout");
        List<String> jvm = new ArrayList<>(c.getStringList("worker.jvm-options"));
        jvm.add("-D" + org.pvmakka.internal.worker.WorkerMain.PROP_PAYLOAD_TIMEOUT + "=" + payloadTimeout.toSeconds());
        // workers route and fragment their messages as the runtime does
        jvm.add("-D" + org.pvmakka.internal.worker.WorkerMain.PROP_ROUTE + "=" + routeName);
        jvm.add("-D" + org.pvmakka.internal.worker.WorkerMain.PROP_FRAGMENT_SIZE + "=" + pvmOptions.fragmentSize());
        String javaCommand = java.isEmpty() ? WorkerCommand.currentJava() : java;
        List<String> classpath = cp.isEmpty() ? WorkerCommand.currentClasspath() : cp;
        if (c.getBoolean("worker.startup-cache")) {
            String dir = c.getString("worker.cache-directory");
            WorkerStartup startup = WorkerStartup.prepare(dir.isEmpty() ? WorkerStartup.defaultCacheDirectory()
                    : Path.of(dir), javaCommand, jvm, classpath);
            jvm.addAll(startup.jvmOptions());
            classpath = startup.classpath();
        }
        worker = new WorkerCommand(javaCommand, jvm, classpath, wd.isEmpty() ? System.getProperty("user.dir") : wd);
        debug = c.getInt("debug");
        resultGrace = c.getDuration("result-grace");
        killGrace = c.getDuration("kill-grace");
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("pvm-akka.kill-grace must not be negative, got " + killGrace);
        }
        drainBatch = c.getInt("drain-batch");
        if (drainBatch <= 0) {
            throw new IllegalArgumentException("pvm-akka.drain-batch must be positive, got " + drainBatch);
        }
        askTimeout = c.getDuration("ask-timeout");
        maxTasksPerSpawn = c.getInt("max-tasks-per-spawn");
        coreTimeout = c.getDuration("core-counter.timeout");
        reprobeInterval = c.getDuration("core-counter.reprobe-interval");
        heartbeatInterval = c.getDuration("liveness.heartbeat-interval");
        livenessTimeout = c.getDuration("liveness.timeout");
        if (livenessTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("pvm-akka.liveness.timeout (" + livenessTimeout
                    + ") must be at least twice liveness.heartbeat-interval (" + heartbeatInterval + ")");
        }
    }

    /** Reads the {@code pvm-akka} section of a full configuration. */
    public static PvmSettings create(Config config) {
        return new PvmSettings(config.getConfig("pvm-akka"));
    }
}
