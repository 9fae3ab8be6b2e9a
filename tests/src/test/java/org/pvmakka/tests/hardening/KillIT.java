package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.javadsl.MsgSpawnFailed;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.VmTask;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.MemoryHog;
import org.pvmakka.tests.fn.PidReporter;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.TermIgnorer;

/**
 * Kills that kill, on a real pvmd: KillAll right behind spawn requests leaves nothing running; a
 * worker that ignores SIGTERM gets SIGKILL after the kill grace; a worker out of memory ends at
 * once (-XX:+ExitOnOutOfMemoryError, which the jvm-options here try to turn off); a time limit
 * ends a task with its own cause. Prints the latencies it measures.
 */
@ExtendWith(RealPvm.class)
class KillIT {
    static final Duration LONG = RuntimeFixture.LONG;
    static final Duration KILL_GRACE = Duration.ofSeconds(3);
    static ActorTestKit kit;
    static RuntimeFixture fixture;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("kill", RealPvm.runtimeConfig("pvm-akka.result-grace = 300ms\n"
                + "pvm-akka.kill-grace = " + KILL_GRACE.toMillis() + "ms\n"
                + "pvm-akka.worker.jvm-options = [\"-XX:+UseSerialGC\", \"-XX:TieredStopAtLevel=1\", \"-Xmx48m\","
                + " \"-XX:-ExitOnOutOfMemoryError\"]"));
        fixture = RuntimeFixture.start(kit);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static Set<Integer> vmTids() {
        return fixture.status().vmTasks().stream().map(VmTask::tid).collect(Collectors.toSet());
    }

    static MsgTaskExit exitOf(TestProbe<TaskEvent> owner) {
        while (true) {
            TaskEvent e = owner.receiveMessage(LONG);
            if (e instanceof MsgTaskExit x) {
                return x;
            }
        }
    }

    static long pidOf(TestProbe<TaskEvent> owner) {
        return (Long) assertInstanceOf(TaskMessage.class, owner.receiveMessage(LONG)).message();
    }

    static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " still runs");
            Thread.sleep(20);
        }
    }

    /**
     * Four spawn requests, then KillAll after 0 to 400 ms: the queued, the one in flight (at the
     * host table or at pvm_spawn) and those done are all covered; whichever it met, nothing runs on.
     */
    @Test
    void killAllRightAfterSpawnRequestsLeavesNoTaskRunning() throws InterruptedException {
        int inFlightKilled = 0;
        for (int delay : new int[] {0, 0, 20, 50, 100, 200, 400}) {
            inFlightKilled += killAllAfter(delay);
        }
        System.out.println("KILLALL: " + inFlightKilled + " task(s) of spawns in flight killed over 7 rounds");
    }

    private int killAllAfter(int delayMs) throws InterruptedException {
        Set<Integer> before = vmTids();
        List<TaskStatus> running = fixture.status().tasks(); // KillAll kills them too; their owners hear of it
        before.removeAll(running.stream().map(s -> s.id().tid()).collect(Collectors.toSet()));
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> replies = kit.createTestProbe();
        for (int i = 0; i < 4; i++) {
            fixture.runtime().tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Sleeper.class, 600_000).withOvercommit(true),
                    owner.getRef(), replies.getRef()));
        }
        Thread.sleep(delayMs);
        TestProbe<StatusReply<Integer>> killed = kit.createTestProbe();
        fixture.runtime().tell(new PvmCommand.KillAll(killed.getRef()));
        int count = killed.receiveMessage(LONG).getValue() - running.size();
        int cancelled = 0;
        int withKilledTasks = 0;
        Set<TaskId> listed = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            StatusReply<Spawned> r = replies.receiveMessage(LONG);
            if (r.isError()) {
                String m = r.getError().getMessage();
                assertTrue(m.contains("cancelled by KillAll"), m);
                cancelled++;
                withKilledTasks += m.contains("were killed") ? 1 : 0;
            } else {
                listed.addAll(r.getValue().tasks());
            }
        }
        Set<TaskId> ended = new HashSet<>();
        int toldOwner = 0;
        while (ended.size() < count || toldOwner < cancelled) {
            TaskEvent e = owner.receiveMessage(LONG);
            if (e instanceof MsgSpawnFailed f) { // a cancelled spawn tells its owner too
                assertTrue(f.reason().contains("cancelled by KillAll"), f::toString);
                toldOwner++;
                continue;
            }
            MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, e);
            assertEquals(MsgTaskExit.Cause.KILLED, x.cause());
            assertTrue(ended.add(x.taskId()), "one exit per task");
        }
        assertEquals(cancelled, toldOwner, "each cancelled spawn's owner was told once");
        owner.expectNoMessage(Duration.ofMillis(500));
        assertTrue(ended.containsAll(listed), () -> "every started task was killed: " + listed + " vs " + ended);
        assertEquals(List.of(), fixture.status().tasks());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!vmTids().equals(before)) {
            assertTrue(System.nanoTime() < deadline, "the VM's task list is not as before the spawns: " + vmTids());
            Thread.sleep(50);
        }
        int inFlight = count - listed.size();
        System.out.println("KILLALL after " + delayMs + " ms: " + count + " killed (" + listed.size()
                + " of finished spawns, " + inFlight + " of the spawn in flight), " + cancelled + " spawn(s) cancelled ("
                + withKilledTasks + " in flight)");
        return inFlight;
    }

    @Test
    void aWorkerThatIgnoresSigtermIsGoneAfterTheKillGrace() throws InterruptedException {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = fixture.spawnOk(SpawnSpec.of(TermIgnorer.class, 600_000).withOvercommit(true), owner.getRef()).tasks().get(0);
        long pid = pidOf(owner); // its TERM handler is installed
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        long t0 = System.nanoTime();
        fixture.runtime().tell(new PvmCommand.KillTask(t, ack.getRef()));
        assertTrue(ack.receiveMessage(LONG).isSuccess());
        Thread.sleep(KILL_GRACE.toMillis() / 2);
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "it ignored SIGTERM");
        MsgTaskExit x = exitOf(owner);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(MsgTaskExit.Cause.KILLED, x.cause());
        awaitGone(pid);
        assertFalse(vmTids().contains(t.tid()));
        assertTrue(ms >= KILL_GRACE.toMillis() - 50 && ms < KILL_GRACE.toMillis() + 5_000, "kill latency " + ms);
        System.out.println("KILL-LATENCY (SIGTERM ignored, kill-grace " + KILL_GRACE.toMillis() + " ms): " + ms + " ms");
    }

    @Test
    void aPlainKillEndsAWorkerWithoutEscalation() throws InterruptedException, IOException {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = fixture.spawnOk(SpawnSpec.of(PidReporter.class, 600_000).withOvercommit(true), owner.getRef()).tasks().get(0);
        long pid = pidOf(owner);
        List<String> args = List.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                StandardCharsets.UTF_8).split("\0"));
        assertTrue(args.lastIndexOf(WorkerCommand.EXIT_ON_OOM) > args.indexOf("-XX:-ExitOnOutOfMemoryError"),
                "the worker's options end with " + WorkerCommand.EXIT_ON_OOM + ": " + args);
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        long t0 = System.nanoTime();
        fixture.runtime().tell(new PvmCommand.KillTask(t, ack.getRef()));
        MsgTaskExit x = exitOf(owner);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(MsgTaskExit.Cause.KILLED, x.cause());
        awaitGone(pid);
        assertTrue(ms < KILL_GRACE.toMillis(), "SIGTERM was enough: " + ms + " ms");
        System.out.println("KILL-LATENCY (SIGTERM obeyed): " + ms + " ms");
    }

    @Test
    void aWorkerOutOfMemoryEndsPromptlyWithoutResult() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        long t0 = System.nanoTime();
        fixture.spawnOk(SpawnSpec.of(MemoryHog.class).withOvercommit(true), owner.getRef());
        TaskEvent e = owner.receiveMessage(LONG);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(e instanceof MsgTaskResult, () -> "the worker went on after its OutOfMemoryError: " + e);
        MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, e);
        assertEquals(MsgTaskExit.Cause.NO_RESULT, x.cause());
        assertTrue(ms < 20_000, "ended after " + ms + " ms");
        System.out.println("OOM: spawn to NO_RESULT in " + ms + " ms");
    }

    @Test
    void aTimeLimitedSleeperEndsWithTimeLimit() throws InterruptedException {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        long t0 = System.nanoTime();
        TaskId t = fixture.spawnOk(SpawnSpec.of(Sleeper.class, 600_000).withOvercommit(true).withTimeLimit(Duration.ofSeconds(2)),
                owner.getRef()).tasks().get(0);
        MsgTaskExit x = exitOf(owner);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(MsgTaskExit.Cause.TIME_LIMIT, x.cause());
        assertEquals(t, x.taskId());
        assertTrue(ms >= 2_000 && ms < 2_000 + KILL_GRACE.toMillis() + 5_000, "ended after " + ms + " ms");
        assertFalse(vmTids().contains(t.tid()));
        System.out.println("TIME-LIMIT 2000 ms: spawn to TIME_LIMIT in " + ms + " ms");
    }
}
