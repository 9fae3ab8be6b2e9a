package org.pvmakka.demo;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.pvmakka.actors.SpawnSpec;
import org.pvmakka.actors.Spawned;
import org.pvmakka.actors.VirtualMachine;
import org.pvmakka.actors.VmStatus;
import org.pvmakka.bridge.LocalPvmd;
import org.pvmakka.bridge.TaskId;
import org.pvmakka.bridge.wire.MsgTaskExit;
import org.pvmakka.bridge.wire.MsgTaskResult;
import org.pvmakka.bridge.wire.TaskMessage;

/**
 * The demo: starts a private pvmd, starts the runtime, shows the VM's status, spawns a
 * Monte-Carlo estimate of pi over every free slot, prints where tasks ran, the combined result
 * and the timings, then stops the runtime and the pvmd.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        long samples = args.length > 0 ? Long.parseLong(args[0]) : 40_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path tmp = Files.createTempDirectory("pvm-akka-demo");
        try (LocalPvmd pvmd = LocalPvmd.start(tmp.resolve("pvm"), Map.of())) {
            System.out.printf("started a private pvmd (pid %d) in %s%n", pvmd.pid(), pvmd.pvmTmp());
            var config = ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + pvmd.pvmTmp() + "\"\n"
                    + "pvm-akka.allow-root = on\nakka.loglevel = WARNING\nakka.scheduler.tick-duration = 50ms")
                    .withFallback(ConfigFactory.load());
            try (VirtualMachine vm = VirtualMachine.create(config)) {
                run(vm, samples, rounds);
            }
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.out.println("stopped the runtime and the pvmd");
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static void run(VirtualMachine vm, long samples, int rounds) throws Exception {
        long t0 = System.nanoTime();
        if (!await(vm.waitForVm(Duration.ofSeconds(60)))) {
            throw new IllegalStateException("the virtual machine did not come up");
        }
        System.out.printf("runtime up and hosts probed in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        VmStatus status = await(vm.status());
        System.out.print(status.format());
        long hits = 0;
        long total = 0;
        Map<String, Integer> perHost = new TreeMap<>();
        long start = System.nanoTime();
        int seed = 1;
        for (int round = 1; round <= rounds; round++) {
            Spawned s = await(vm.spawnFunction(new SpawnSpec(MonteCarloPi.class.getName(),
                    java.util.List.of(samples, (long) seed), null, java.util.List.of(), true, false)));
            // every task gets its own seed: respawn with distinct seeds is simpler than per-task args
            seed += s.tasks().size();
            System.out.printf("round %d: %d task(s), one per free slot: %s%n", round, s.tasks().size(), s.tasks());
            int exits = 0;
            while (exits < s.tasks().size()) {
                Optional<TaskMessage> m = vm.receiveMessage(120);
                if (m.isEmpty()) {
                    throw new IllegalStateException("no news from the tasks for 120 s");
                }
                if (m.get().message() instanceof MsgTaskResult r) {
                    if (!r.success()) {
                        throw new IllegalStateException("task " + r.taskId() + " failed: " + r.error());
                    }
                    hits += (Long) r.value();
                    total += samples;
                    String host = hostName(status, r.taskId());
                    perHost.merge(host, 1, Integer::sum);
                    System.out.printf("  %s on %s: %d of %d inside  (%.2f s)%n", r.taskId(), host, (Long) r.value(),
                            samples, (System.nanoTime() - start) / 1e9);
                } else if (m.get().message() instanceof MsgTaskExit) {
                    exits++;
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.println("where tasks ran:");
        perHost.forEach((h, n) -> System.out.printf("  %-20s %d task(s)%n", h, n));
        System.out.printf("pi ~ %.6f (error %.2e) from %,d samples in %.2f s (%.1f M samples/s)%n", 4.0 * hits / total,
                Math.abs(4.0 * hits / total - Math.PI), total, secs, total / secs / 1e6);
    }

    private static String hostName(VmStatus status, TaskId t) {
        return status.hosts().stream().filter(h -> h.id().dtid() == t.hostDtid()).map(h -> h.id().name()).findFirst()
                .orElse(Integer.toHexString(t.hostDtid()));
    }
}
