package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.MsgSpawnFailed;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;
import org.pvmakka.tests.fn.Sleeper;

/**
 * The spawner's timers and kills on the simulator, on {@link ManualTime}: the result grace (30 s),
 * the kill grace (10 s) and time limits pass without waiting real seconds; owners that stop,
 * KillAll behind spawn requests.
 */
class SpawnerLifecycleTest {
    static final Duration LONG = Duration.ofSeconds(20);
    static ActorTestKit kit;
    static ManualTime time;
    static SimulatedCluster cluster;
    static SimulatedVm vm;
    static RuntimeFixture fixture;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("spawner-lifecycle", ManualTime.config().withFallback(ConfigFactory.parseString(
                "pvm-akka.result-grace = 30s\npvm-akka.kill-grace = 10s\n"
                // liveness runs on the same virtual clock: keep the simulated hosts alive across the jumps
                + "pvm-akka.liveness.timeout = 1d\n"
                + "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]"))
                .withFallback(ConfigFactory.load()));
        time = ManualTime.get(kit.system());
        cluster = new SimulatedCluster(11);
        cluster.addHost("sim-master", 4);
        vm = SimulatedVm.start(kit.system(), cluster);
        fixture = RuntimeFixture.of(kit, vm.runtime());
    }

    @AfterAll
    static void stop() {
        vm.close();
        kit.shutdownTestKit();
        cluster.close();
    }

    static TaskId spawnSleeper(SpawnSpec spec, TestProbe<TaskEvent> owner) {
        return fixture.spawnOk(spec, owner.getRef()).tasks().get(0);
    }

    static boolean inVm(TaskId t) {
        return cluster.tasks().stream().anyMatch(i -> i.tid() == t.tid());
    }

    static List<TaskStatus> listed() {
        return fixture.status().tasks();
    }

    static MsgTaskExit exitOf(TestProbe<TaskEvent> owner) {
        TaskEvent e = owner.receiveMessage(LONG);
        while (e instanceof MsgSpawnFailed) { // a cancelled spawn tells its owner too
            e = owner.receiveMessage(LONG);
        }
        return assertInstanceOf(MsgTaskExit.class, e);
    }

    /** Returns once the bridge has routed the task's TaskExit notify to the spawner, and the spawner has acted on it. */
    static void awaitExitSeen(TaskId t) {
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            vm.runtime().tell(new PvmCommand.SendMessage(t, "anyone?", ack.getRef()));
            if (ack.receiveMessage(LONG).isError()) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the bridge never saw the exit of " + t);
        }
        listed(); // the spawner serves this after the TaskExited the bridge told it before the error above
    }

    @Test
    void theResultGraceRunsOnAkkaTimers() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnSleeper(SpawnSpec.of(Sleeper.class, 600_000), owner);
        cluster.killTask(t); // behind the runtime's back: an exit without the result owed
        awaitExitSeen(t);
        time.expectNoMessageFor(Duration.ofMillis(29_900), owner);
        assertTrue(listed().stream().anyMatch(s -> s.id().equals(t)), "still waiting for its result");
        time.timePasses(Duration.ofMillis(200));
        MsgTaskExit x = exitOf(owner);
        assertEquals(MsgTaskExit.Cause.NO_RESULT, x.cause());
        assertEquals(t, x.taskId());
        assertFalse(listed().stream().anyMatch(s -> s.id().equals(t)));
    }

    @Test
    void aTaskThatIgnoresSigtermGetsSigkillAfterTheKillGrace() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnSleeper(SpawnSpec.of(Sleeper.class, 600_000), owner);
        cluster.setIgnoresSigterm(t, true);
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.KillTask(t, ack.getRef()));
        assertTrue(ack.receiveMessage(LONG).isSuccess());
        time.expectNoMessageFor(Duration.ofMillis(9_900), owner);
        assertTrue(inVm(t), "SIGTERM was ignored");
        time.timePasses(Duration.ofMillis(200));
        assertEquals(MsgTaskExit.Cause.KILLED, exitOf(owner).cause());
        assertFalse(inVm(t));
        assertTrue(cluster.journal().stream().anyMatch(j -> j.contains("got signal 9")), "ended by SIGKILL");
    }

    @Test
    void aTimeLimitEndsTheTaskWithItsOwnCause() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnSleeper(SpawnSpec.of(Sleeper.class, 600_000).withTimeLimit(Duration.ofMinutes(5)), owner);
        time.expectNoMessageFor(Duration.ofMillis(299_000), owner);
        assertTrue(inVm(t));
        time.timePasses(Duration.ofSeconds(1));
        MsgTaskExit x = exitOf(owner);
        assertEquals(MsgTaskExit.Cause.TIME_LIMIT, x.cause());
        assertFalse(inVm(t));
    }

    @Test
    void anOwnerThatStopsHasItsTasksKilledUnlessTheyKeepRunning() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<TaskEvent> other = kit.createTestProbe();
        TaskId doomed = spawnSleeper(SpawnSpec.of(Sleeper.class, 600_000), owner);
        TaskId kept = spawnSleeper(SpawnSpec.of(Sleeper.class, 600_000).withKeepRunningWhenOwnerStops(true), owner);
        TaskId others = spawnSleeper(SpawnSpec.of(Sleeper.class, 600_000), other);
        TaskStatus s = listed().stream().filter(x -> x.id().equals(doomed)).findFirst().orElseThrow();
        assertEquals(owner.getRef().path().toString(), s.owner(), "the status says whose task it is");
        owner.stop();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (inVm(doomed) || listed().stream().anyMatch(x -> x.id().equals(doomed))) {
            assertTrue(System.nanoTime() < deadline, "the stopped owner's task is still there");
            Thread.onSpinWait();
        }
        assertTrue(inVm(kept), "spawned to keep running");
        assertTrue(inVm(others), "another owner's task");
        TestProbe<StatusReply<Integer>> n = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.KillAll(n.getRef()));
        assertEquals(2, n.receiveMessage(LONG).getValue());
        assertEquals(MsgTaskExit.Cause.KILLED, exitOf(other).cause());
    }

    @Test
    void killAllRightAfterSpawnRequestsLeavesNoTaskRunning() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> replies = kit.createTestProbe();
        int tasksBefore = cluster.tasks().size();
        for (int i = 0; i < 4; i++) {
            vm.runtime().tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Sleeper.class, 600_000), owner.getRef(),
                    replies.getRef()));
        }
        TestProbe<StatusReply<Integer>> killed = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.KillAll(killed.getRef()));
        int count = killed.receiveMessage(LONG).getValue();
        int cancelled = 0;
        for (int i = 0; i < 4; i++) {
            StatusReply<Spawned> r = replies.receiveMessage(LONG);
            if (r.isError()) {
                assertTrue(r.getError().getMessage().contains("cancelled by KillAll"), r.getError().getMessage());
                cancelled++;
            }
        }
        assertTrue(cancelled >= 3, "the queued spawns were cancelled: " + cancelled);
        List<TaskId> ended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MsgTaskExit x = exitOf(owner);
            assertEquals(MsgTaskExit.Cause.KILLED, x.cause());
            ended.add(x.taskId());
        }
        while (true) { // only the cancelled spawns' MsgSpawnFailed may still come, nothing of a task
            TaskEvent e;
            try {
                e = owner.receiveMessage(Duration.ofMillis(300));
            } catch (AssertionError timeout) {
                break;
            }
            assertInstanceOf(MsgSpawnFailed.class, e);
        }
        assertEquals(List.of(), listed());
        ended.forEach(t -> assertFalse(inVm(t)));
        assertEquals(tasksBefore, cluster.tasks().size(), () -> "tasks left in the VM: " + cluster.tasks());
    }
}
