package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sink;
import org.pvmakka.tests.fn.Source;
import org.pvmakka.tests.fn.Square;

/**
 * Load: a million messages between an actor and tasks (half each way, at the same time), none
 * lost, duplicated or reordered; then 500 sequential spawns with no growth of open file
 * descriptors or threads and a bounded heap. Prints the figures.
 */
@ExtendWith(RealPvm.class)
class LoadIT {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static RuntimeFixture fixture;
    static final Duration LONG = Duration.ofSeconds(60);
    static final int HALF = 500_000;
    static final int SPAWNS = 500;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("load", RealPvm.runtimeConfig(""));
        fixture = RuntimeFixture.start(kit);
        runtime = fixture.runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    record Tally(int inOrder, String firstProblem, Object result) {
    }

    /** Owner of the Source task: checks 0, 1, 2, ... and reports at the exit. */
    static Behavior<TaskEvent> checker(ActorRef<Tally> report) {
        return Behaviors.setup(ctx -> {
            int[] next = {0};
            String[] problem = {null};
            Object[] result = {null};
            return Behaviors.receive(TaskEvent.class)
                    .onMessage(TaskMessage.class, m -> {
                        int got = (Integer) m.message();
                        if (got != next[0] && problem[0] == null) {
                            problem[0] = "expected " + next[0] + ", got " + got;
                        }
                        next[0] = got + 1;
                        return Behaviors.same();
                    })
                    .onMessage(MsgTaskResult.class, r -> {
                        result[0] = r.success() ? r.value() : r.error();
                        return Behaviors.same();
                    })
                    .onMessage(MsgTaskExit.class, x -> {
                        report.tell(new Tally(next[0], problem[0], result[0]));
                        return Behaviors.stopped();
                    })
                    .onAnyMessage(m -> Behaviors.same())
                    .build();
        });
    }

    static TaskId spawnOne(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        return fixture.spawnOk(spec, owner).tasks().get(0);
    }

    @Test
    void aMillionMessagesNoneLostDuplicatedOrReordered() {
        TestProbe<Tally> tally = kit.createTestProbe();
        TestProbe<TaskEvent> sinkOwner = kit.createTestProbe();
        long t0 = System.nanoTime();
        spawnOne(SpawnSpec.of(Source.class, HALF), kit.spawn(checker(tally.getRef()), "checker"));
        TaskId sink = spawnOne(SpawnSpec.of(Sink.class), sinkOwner.getRef());
        for (int i = 0; i < HALF; i++) {
            runtime.tell(new PvmCommand.SendMessage(sink, i, null));
        }
        runtime.tell(new PvmCommand.SendMessage(sink, "stop", null));
        Tally fromTask = tally.receiveMessage(Duration.ofMinutes(10));
        MsgTaskResult sunk = assertInstanceOf(MsgTaskResult.class, sinkOwner.receiveMessage(Duration.ofMinutes(10)));
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(null, fromTask.firstProblem());
        assertEquals(HALF, fromTask.inOrder(), "task -> actor: every message, in order");
        assertEquals(HALF, fromTask.result());
        assertTrue(sunk.success(), () -> "actor -> task: " + sunk.error());
        assertEquals(HALF, sunk.value(), "actor -> task: every message, in order");
        String line = String.format("load: %,d messages (%,d each way at once) in %.1f s: %,.0f msg/s, 0 lost, 0 out of"
                + " order", 2 * HALF, HALF, secs, 2 * HALF / secs);
        System.out.println(line);
        System.err.println(line);
    }

    static long openFds() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void fiveHundredSequentialSpawnsLeakNoDescriptorsThreadsOrHeap() throws Exception {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        var threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20; i++) { // warm-up
            spawnOne(SpawnSpec.of(Square.class, i), owner.getRef());
            owner.receiveMessage(LONG);
            owner.receiveMessage(LONG);
        }
        long fd0 = openFds();
        int th0 = threads.getThreadCount();
        long heap0 = heapAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < SPAWNS; i++) {
            TaskId t = spawnOne(SpawnSpec.of(Square.class, i), owner.getRef());
            MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG));
            assertEquals(i * i, r.value());
            assertEquals(t, assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG)).taskId());
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long fd1 = openFds();
        int th1 = threads.getThreadCount();
        long heap1 = heapAfterGc();
        String line = String.format("%d sequential spawns in %.1f s (%.0f ms each): fds %d -> %d, threads %d -> %d, heap"
                + " after GC %.1f -> %.1f MiB", SPAWNS, secs, secs * 1000 / SPAWNS, fd0, fd1, th0, th1, heap0 / 1048576.0,
                heap1 / 1048576.0);
        System.out.println(line);
        System.err.println(line);
        assertTrue(fd1 - fd0 <= 4, "open file descriptors stay flat (bound +4): " + line);
        assertTrue(th1 - th0 <= 4, "threads stay flat (bound +4): " + line);
        assertTrue(heap1 - heap0 <= 32L << 20, "heap stays within +32 MiB: " + line);
    }
}
