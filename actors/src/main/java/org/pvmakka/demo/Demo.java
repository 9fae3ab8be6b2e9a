package org.pvmakka.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pvmakka.bridge.Inbound;
import org.pvmakka.bridge.LocalPvmd;
import org.pvmakka.bridge.NotifyKind;
import org.pvmakka.bridge.Pvm;
import org.pvmakka.bridge.SpawnResult;
import org.pvmakka.bridge.codec.WireCodec;
import org.pvmakka.bridge.codec.WireSettings;
import org.pvmakka.bridge.jna.JnaPvm;
import org.pvmakka.bridge.jna.JnaPvmOptions;
import org.pvmakka.bridge.wire.MsgTaskResult;
import org.pvmakka.bridge.wire.SpawnRequest;
import org.pvmakka.bridge.wire.WireTags;
import org.pvmakka.worker.FunctionLauncher;
import org.pvmakka.worker.WorkerCommand;

/**
 * First demo: starts a private pvmd, spawns one Monte-Carlo worker JVM per core, prints each
 * result and the combined estimate of pi, stops the pvmd.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        long samples = args.length > 1 ? Long.parseLong(args[1]) : 50_000_000L;
        Path tmp = Files.createTempDirectory("pvm-akka-demo");
        try (LocalPvmd pvmd = LocalPvmd.start(tmp.resolve("pvm"), Map.of())) {
            System.out.printf("started pvmd (pid %d) in %s%n", pvmd.pid(), pvmd.pvmTmp());
            JnaPvm pvm = JnaPvm.open(JnaPvmOptions.defaults().withPvmTmp(pvmd.pvmTmp().toString()).withAllowRoot(true));
            try {
                run(pvm, tasks, samples);
            } finally {
                pvm.exit();
            }
        }
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        System.out.println("stopped pvmd");
    }

    private static void run(Pvm pvm, int tasks, long samples) {
        System.out.printf("enrolled as t%x on %s%n", pvm.mytid(), pvm.config().hosts());
        WireSettings wire = WireSettings.defaults();
        WireCodec codec = new WireCodec(wire);
        FunctionLauncher launcher = new FunctionLauncher(pvm, codec, wire, WorkerCommand.forCurrentJvm());
        long t0 = System.nanoTime();
        Map<Integer, Integer> slot = new HashMap<>();
        for (int i = 0; i < tasks; i++) {
            List<SpawnResult> r = launcher.spawn(new SpawnRequest(MonteCarloPi.class.getName(),
                    List.of(samples, 1000L + i), true), 0, null, 1);
            if (!r.get(0).started()) {
                throw new IllegalStateException("spawn failed: " + r.get(0));
            }
            slot.put(r.get(0).tid(), i);
            System.out.printf("spawned task %d as %s%n", i, r.get(0).taskId());
        }
        long hits = 0;
        int results = 0;
        int exits = 0;
        while (exits < tasks) {
            Optional<Inbound> in = pvm.receive(Pvm.ANY, Pvm.ANY, 120);
            if (in.isEmpty()) {
                throw new IllegalStateException("no news from the workers for 120 s");
            }
            if (in.get() instanceof Inbound.Message m && m.tag() == WireTags.RESULT) {
                MsgTaskResult r = codec.decode(m.data(), MsgTaskResult.class);
                if (!r.success()) {
                    throw new IllegalStateException("task " + r.taskId() + " failed: " + r.error());
                }
                hits += (Long) r.value();
                results++;
                System.out.printf("  %s: %d of %d inside (%.2f s)%n", r.taskId(), (Long) r.value(), samples,
                        (System.nanoTime() - t0) / 1e9);
            } else if (in.get() instanceof Inbound.Notification n && n.kind() == NotifyKind.TASK_EXIT) {
                exits++;
            }
        }
        double pi = 4.0 * hits / (samples * (double) tasks);
        System.out.printf("pi ~ %.6f from %d results, %d samples, in %.2f s%n", pi, results, samples * tasks,
                (System.nanoTime() - t0) / 1e9);
    }
}
