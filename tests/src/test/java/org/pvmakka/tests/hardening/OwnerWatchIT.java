package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.VmTask;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sleeper;

/** On a real pvmd: an owner that stops takes its tasks with it, unless they were spawned to keep running. */
@ExtendWith(RealPvm.class)
class OwnerWatchIT {
    static ActorTestKit kit;
    static RuntimeFixture fixture;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("owners", RealPvm.runtimeConfig("pvm-akka.result-grace = 300ms"));
        fixture = RuntimeFixture.start(kit);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static Set<Integer> vmTids() {
        return fixture.status().vmTasks().stream().map(VmTask::tid).collect(Collectors.toSet());
    }

    static boolean listed(TaskId t) {
        return fixture.status().tasks().stream().anyMatch(s -> s.id().equals(t));
    }

    @Test
    void aStoppedOwnersTasksAreKilledAndTheStatusSaysWhoseTaskIsWhose() throws InterruptedException {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<TaskEvent> other = kit.createTestProbe();
        Duration tenMinutes = Duration.ofMinutes(10);
        TaskId doomed = fixture.spawnOk(SpawnSpec.of(Sleeper.class, tenMinutes.toMillis()).withOvercommit(true), owner.getRef()).tasks()
                .get(0);
        TaskId kept = fixture.spawnOk(SpawnSpec.of(Sleeper.class, tenMinutes.toMillis()).withOvercommit(true)
                .withKeepRunningWhenOwnerStops(true), owner.getRef()).tasks().get(0);
        TaskId others = fixture.spawnOk(SpawnSpec.of(Sleeper.class, tenMinutes.toMillis()).withOvercommit(true), other.getRef()).tasks()
                .get(0);
        TaskStatus s = fixture.status().tasks().stream().filter(x -> x.id().equals(doomed)).findFirst().orElseThrow();
        assertEquals(owner.getRef().path().toString(), s.owner());
        assertTrue(vmTids().contains(doomed.tid()));
        long t0 = System.nanoTime();
        owner.stop();
        long deadline = t0 + Duration.ofSeconds(10).toNanos();
        while (listed(doomed) || vmTids().contains(doomed.tid())) {
            assertTrue(System.nanoTime() < deadline, "the stopped owner's task is still there");
            Thread.sleep(50);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("OWNER-STOPPED: its task gone from the status and the VM in " + ms + " ms");
        Thread.sleep(500);
        assertTrue(listed(kept) && vmTids().contains(kept.tid()), "spawned to keep running");
        assertTrue(listed(others) && vmTids().contains(others.tid()), "another owner's task");
        TestProbe<StatusReply<Integer>> n = kit.createTestProbe();
        fixture.runtime().tell(new PvmCommand.KillAll(n.getRef()));
        assertEquals(2, n.receiveMessage(RuntimeFixture.LONG).getValue());
        MsgTaskExit x = (MsgTaskExit) other.receiveMessage(RuntimeFixture.LONG);
        assertEquals(MsgTaskExit.Cause.KILLED, x.cause());
    }
}
