package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.MsgSpawnFailed;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.PidReporter;
import org.pvmakka.tests.fn.PidThenReturn;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;
import org.pvmakka.tests.fn.UnregisteredResult;

/**
 * Bad input from users gets a clear error naming the problem, before anything is sent, and the
 * runtime keeps serving; a worker JVM killed at each stage gives exactly one terminal outcome.
 */
@ExtendWith(RealPvm.class)
class UserInputAndWorkerDeathIT {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static RuntimeFixture fixture;
    static final Duration LONG = Duration.ofSeconds(60);

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("input", RealPvm.runtimeConfig("pvm-akka.max-message-bytes = 1 MiB\n"
                + "pvm-akka.result-grace = 300ms"));
        fixture = RuntimeFixture.start(kit);
        runtime = fixture.runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static StatusReply<Spawned> spawn(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        return fixture.spawn(spec, owner);
    }

    static void assertRefused(StatusReply<?> r, String expected) {
        assertTrue(r.isError(), () -> "expected an error, got " + r);
        assertTrue(r.getError().getMessage().contains(expected), r.getError().getMessage());
    }

    static void assertStillServes(TestProbe<TaskEvent> owner) {
        TaskId t = spawn(SpawnSpec.of(Square.class, 3), owner.getRef()).getValue().tasks().get(0);
        assertEquals(9, assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG)).value());
        assertEquals(t, assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG)).taskId());
    }

    @Test
    void badSpawnsAreRefusedWithAClearErrorBeforeAnythingStarts() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        assertRefused(spawn(SpawnSpec.of(Square.class, new Object()), owner.getRef()),
                "class java.lang.Object is not registered");
        assertRefused(spawn(SpawnSpec.of(Square.class, 1).withCount(1_000_000).withOvercommit(true), owner.getRef()),
                "max-tasks-per-spawn");
        assertRefused(spawn(SpawnSpec.of(Square.class, 1).withCount(500), owner.getRef()), "free slot");
        assertRefused(spawn(SpawnSpec.of(Square.class, 1).withTargets(List.of(new HostId(0x3ff00000, "ghost"))),
                owner.getRef()), "unknown target host");
        IllegalArgumentException nullFn = assertThrows(IllegalArgumentException.class, () -> SpawnSpec.of(null));
        assertTrue(nullFn.getMessage().contains("task function class is required"));
        assertThrows(IllegalArgumentException.class, () -> SpawnSpec.of(Square.class).withCount(0));
        assertThrows(IllegalArgumentException.class, () -> SpawnSpec.of(Square.class).withCount(-4));
        // the owner was told of each refusal too, with the same reason, and of nothing else
        for (String why : List.of("is not registered", "max-tasks-per-spawn", "free slot", "unknown target host")) {
            MsgSpawnFailed f = assertInstanceOf(MsgSpawnFailed.class, owner.receiveMessage(LONG));
            assertTrue(f.reason().contains(why), f::toString);
        }
        owner.expectNoMessage(Duration.ofMillis(300));
        assertStillServes(owner);
    }

    @Test
    void badMessagesAreRefusedWithAClearError() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawn(SpawnSpec.of(Sleeper.class, 500), owner.getRef()).getValue().tasks().get(0);
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        runtime.tell(new PvmCommand.SendMessage(t, new byte[2 << 20], ack.getRef()));
        assertRefused(ack.receiveMessage(LONG), "exceeds the maximum message size of 1048576 bytes");
        runtime.tell(new PvmCommand.SendMessage(t, new Thread(), ack.getRef()));
        assertRefused(ack.receiveMessage(LONG), "java.lang.Thread is not registered");
        owner.receiveMessage(LONG);
        owner.receiveMessage(LONG); // result and exit of the sleeper
        runtime.tell(new PvmCommand.SendMessage(t, "hello?", ack.getRef()));
        assertRefused(ack.receiveMessage(LONG), "PvmNoTask");
        assertStillServes(owner);
    }

    @Test
    void anUnregisteredResultBecomesAFailureNamingTheClass() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        spawn(SpawnSpec.of(UnregisteredResult.class), owner.getRef());
        MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG));
        assertFalse(r.success());
        assertTrue(r.error().message().contains("java.lang.StringBuilder is not registered"), r.error().message());
        assertEquals(MsgTaskExit.Cause.EXITED, assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG)).cause());
    }

    /** Receives until the exit; returns the events for the task (exactly one exit is checked). */
    static List<TaskEvent> toTheEnd(TestProbe<TaskEvent> owner) {
        List<TaskEvent> events = new java.util.ArrayList<>();
        while (true) {
            TaskEvent e = owner.receiveMessage(LONG);
            events.add(e);
            if (e instanceof MsgTaskExit) {
                owner.expectNoMessage(Duration.ofMillis(800));
                return events;
            }
        }
    }

    @Test
    void aWorkerKilledBeforeItsPayloadArrivesEndsOnce() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawn(SpawnSpec.of(Square.class, 2), owner.getRef()).getValue().tasks().get(0);
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        runtime.tell(new PvmCommand.KillTask(t, ack.getRef())); // the JVM is still starting
        List<TaskEvent> ev = toTheEnd(owner);
        MsgTaskExit x = (MsgTaskExit) ev.get(ev.size() - 1);
        assertTrue(ev.size() == 1 || ev.get(0) instanceof MsgTaskResult, ev::toString);
        assertEquals(MsgTaskExit.Cause.KILLED, x.cause());
    }

    @Test
    void aWorkerKilledWhileRunningEndsOnceWithoutResult() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        spawn(SpawnSpec.of(PidReporter.class, 60_000), owner.getRef());
        long pid = (Long) assertInstanceOf(TaskMessage.class, owner.receiveMessage(LONG)).message();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        List<TaskEvent> ev = toTheEnd(owner);
        assertEquals(1, ev.size(), ev::toString);
        assertEquals(MsgTaskExit.Cause.NO_RESULT, ((MsgTaskExit) ev.get(0)).cause());
    }

    @Test
    void aWorkerKilledAfterSendingItsResultEndsOnce() throws InterruptedException {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        spawn(SpawnSpec.of(PidThenReturn.class, 200), owner.getRef());
        long pid = (Long) assertInstanceOf(TaskMessage.class, owner.receiveMessage(LONG)).message();
        MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG));
        assertEquals("done", r.value());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // right after its result
        List<TaskEvent> ev = toTheEnd(owner);
        assertEquals(1, ev.size(), ev::toString);
        assertEquals(MsgTaskExit.Cause.EXITED, ((MsgTaskExit) ev.get(0)).cause());
    }
}
