package org.pvmakka.tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.actors.PvmCommand;
import org.pvmakka.actors.PvmRuntime;
import org.pvmakka.actors.SpawnSpec;
import org.pvmakka.actors.Spawned;
import org.pvmakka.bridge.TaskId;
import org.pvmakka.bridge.wire.TaskMessage;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.fn.Echo;

/**
 * Benchmark, not a timed test: prints the 64 B round trip caller actor -> worker task -> caller
 * actor against a raw C PVM ping-pong in the same run, and the idle CPU of the runtime's JVM.
 * It asserts only that every message came back.
 */
@ExtendWith(RealPvm.class)
class RuntimeBenchmarkIT {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static final Duration LONG = Duration.ofSeconds(60);
    static final int WARMUP = 2000;
    static final int ITERATIONS = 5000;

    @BeforeAll
    static void start() {
        // a runtime JVM mostly waits: a coarser scheduler tick (default 10 ms) keeps it idle
        kit = ActorTestKit.create("bench", RealPvm.runtimeConfig("akka.scheduler.tick-duration = 50ms"));
        runtime = kit.spawn(PvmRuntime.create(), "pvm");
        TestProbe<Boolean> up = kit.createTestProbe();
        runtime.tell(new PvmCommand.WaitForVm(LONG, up.getRef()));
        assertTrue(up.receiveMessage(LONG.plusSeconds(5)));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    record Run(TaskId echo, int n, long[] rtts, ActorRef<long[]> done) {
    }

    /** The caller actor and owner of the echo task: sends, waits for the echo, records the round trip, repeats. */
    static Behavior<Object> pinger(byte[] payload) {
        return Behaviors.setup(ctx -> {
            long[] sentAt = {0};
            int[] i = {0};
            Run[] run = {null};
            return Behaviors.receive(Object.class)
                    .onMessage(Run.class, r -> {
                        run[0] = r;
                        i[0] = 0;
                        sentAt[0] = System.nanoTime();
                        runtime.tell(new PvmCommand.SendMessage(r.echo(), payload, null));
                        return Behaviors.same();
                    })
                    .onMessage(TaskMessage.class, m -> {
                        Run r = run[0];
                        r.rtts()[i[0]++] = System.nanoTime() - sentAt[0];
                        if (i[0] == r.n()) {
                            r.done().tell(r.rtts());
                            return Behaviors.same();
                        }
                        sentAt[0] = System.nanoTime();
                        runtime.tell(new PvmCommand.SendMessage(r.echo(), payload, null));
                        return Behaviors.same();
                    })
                    .onAnyMessage(m -> Behaviors.same())
                    .build();
        });
    }

    static String stats(String name, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("%-42s median %7.1f us  min %7.1f us  p99 %7.1f us", name, s[s.length / 2] / 1e3,
                s[0] / 1e3, s[(int) (s.length * 0.99)] / 1e3);
    }

    @Test
    void roundTripAgainstRawCAndIdleCpu() throws Exception {
        StringBuilder report = new StringBuilder("\n== pvm-akka benchmark (single host, real pvmd) ==\n");
        // raw C first, in the same run on the same pvmd
        Path bin = RawPvmPingPong.build(RealPvm.workDir().resolve("c"));
        String tmp = RealPvm.daemon().pvmTmp().toString();
        for (String route : new String[] {"pvmd", "direct"}) {
            RawPvmPingPong.Result c = RawPvmPingPong.run(bin, tmp, 64, ITERATIONS, route);
            report.append(String.format("%-42s median %7.1f us  min %7.1f us  p99 %7.1f us%n",
                    "raw C PVM 64 B round trip (" + route + ")", c.medianMicros(), c.minMicros(), c.p99Micros()));
        }
        // pvm-akka: actor -> Echo worker -> actor
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        TestProbe<long[]> done = kit.createTestProbe();
        byte[] payload = new byte[64 - 4]; // byte[] of 60 + Kryo class ID and length: 64 B on the wire
        ActorRef<Object> pinger = kit.spawn(pinger(payload), "pinger");
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Echo.class), pinger.narrow(), sp.getRef()));
        TaskId echo = sp.receiveMessage(LONG).getValue().tasks().get(0);
        pinger.tell(new Run(echo, WARMUP, new long[WARMUP], done.getRef()));
        done.receiveMessage(LONG);
        pinger.tell(new Run(echo, ITERATIONS, new long[ITERATIONS], done.getRef()));
        long[] measured = done.receiveMessage(LONG.multipliedBy(2));
        assertEquals(ITERATIONS, measured.length);
        report.append(stats("pvm-akka 64 B round trip (actor->task->actor)", measured)).append('\n');
        runtime.tell(new PvmCommand.SendMessage(echo, "stop", null));
        // idle CPU of this JVM with the runtime up and nothing to do
        Thread.sleep(5000);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> before = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            before.put(id, threads.getThreadCpuTime(id));
        }
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(10_000);
        long elapsed = System.nanoTime() - t0;
        double idle = 100.0 * (os.getProcessCpuTime() - cpu0) / elapsed;
        report.append(String.format("%-42s %.2f %% of one core over 10 s; busiest threads:", "idle CPU of the runtime JVM",
                idle));
        java.util.List<String> top = new java.util.ArrayList<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long t = threads.getThreadCpuTime(id) - before.getOrDefault(id, 0L);
            if (info != null && t > 0) {
                top.add(String.format("%08d %s %.2f%%", t / 1000, info.getThreadName(), 100.0 * t / elapsed));
            }
        }
        top.sort(java.util.Comparator.reverseOrder());
        top.stream().limit(4).forEach(x -> report.append("  ").append(x.substring(9)).append(';'));
        report.append('\n');
        System.out.print(report);
        System.err.print(report);
        java.nio.file.Files.writeString(RealPvm.workDir().resolve("benchmark.txt"), report);
    }
}
