package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.RuntimeCounters;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.javadsl.VmTask;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;

/**
 * Bad input from the wire: a rogue PVM task sends garbage, truncated payloads, unregistered class
 * IDs, forged results and messages, and lengths its bytes cannot hold (issue 12) on every tag the
 * runtime uses; a spawned task forges lengths too. Each is dropped and counted, no owner hears of
 * it, and the runtime stays alive and correct.
 */
@ExtendWith(RealPvm.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WireAttackIT {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static final Duration LONG = Duration.ofSeconds(60);

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("attack", RealPvm.runtimeConfig(""));
        runtime = RuntimeFixture.start(kit).runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static RuntimeCounters counters() {
        TestProbe<StatusReply<RuntimeCounters>> p = kit.createTestProbe();
        runtime.tell(new PvmCommand.GetCounters(p.getRef()));
        return p.receiveMessage(LONG).getValue();
    }

    static int runtimeTid() {
        TestProbe<StatusReply<VmStatus>> st = kit.createTestProbe();
        runtime.tell(new PvmCommand.GetStatus(st.getRef()));
        long myPid = ProcessHandle.current().pid();
        return st.receiveMessage(LONG).getValue().vmTasks().stream().filter(t -> t.pid() == myPid)
                .mapToInt(VmTask::tid).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void forgedAndMalformedMessagesAreDroppedCountedAndHarmless() throws Exception {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Sleeper.class, 4000), owner.getRef(), sp.getRef()));
        TaskId victim = sp.receiveMessage(LONG).getValue().tasks().get(0);
        int runtimeTid = runtimeTid();
        long droppedBefore = counters().dropped();

        int sent = RogueTask.run(runtimeTid, victim.tid(), "all").sent();
        assertTrue(sent > 100, "sent " + sent);

        long dropped = 0;
        for (int i = 0; i < 100 && dropped < sent; i++) {
            Thread.sleep(50);
            dropped = counters().dropped() - droppedBefore;
        }
        assertEquals(sent, dropped, "every rogue message dropped and counted: " + counters().droppedByReason());

        // the victim's owner hears only the victim's own result and exit
        MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG));
        assertEquals(victim.toString(), r.value(), "the real result, not the forged 666");
        assertEquals(MsgTaskExit.Cause.EXITED, assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG)).cause());
        owner.expectNoMessage(Duration.ofMillis(500));

        // and the runtime keeps serving
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 11), owner.getRef(), sp.getRef()));
        assertTrue(sp.receiveMessage(LONG).isSuccess());
        assertEquals(121, assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG)).value());
        List<String> reasons = List.copyOf(counters().droppedByReason().keySet());
        System.out.println("rogue messages sent " + sent + ", dropped " + dropped + ", reasons " + reasons);
    }

    /**
     * Forged lengths (issue 12) on every tag, with a message subscriber so that those on the user
     * tag reach the decoder: each is refused before it allocates, dropped and counted; the
     * subscriber hears nothing from the rogue and the runtime keeps serving. Runs last: the subscription stays.
     */
    @Test
    @Order(2)
    void forgedLengthsAreDecodedWithoutAllocatingAndDropped() throws Exception {
        TestProbe<TaskMessage> subscriber = kit.createTestProbe();
        runtime.tell(new PvmCommand.SubscribeMessages(subscriber.getRef()));
        long droppedBefore = counters().dropped();
        Map<String, Long> reasonsBefore = counters().droppedByReason();
        int shapes = RogueTask.forgedLengths(0).size();

        RogueTask.Run rogue = RogueTask.run(runtimeTid(), 0, "lengths");
        int sent = rogue.sent();
        assertEquals(shapes * (WireTags.OUTPUT - WireTags.SPAWN + 1), sent);
        long dropped = 0;
        for (int i = 0; i < 200 && dropped < sent; i++) {
            Thread.sleep(50);
            dropped = counters().dropped() - droppedBefore;
        }
        Map<String, Long> reasons = counters().droppedByReason();
        assertEquals(sent, dropped, "every forged length dropped and counted: " + reasons);
        long malformedUser = reasons.entrySet().stream().filter(e -> e.getKey().startsWith("malformed user message"))
                .mapToLong(e -> e.getValue() - reasonsBefore.getOrDefault(e.getKey(), 0L)).sum();
        assertEquals(shapes, malformedUser, "each shape on the user tag was decoded and refused: " + reasons);
        for (TaskMessage m : subscriber.receiveSeveralMessages(0)) {
            assertTrue(m.sender().tid() != rogue.tid(), "nothing of the rogue's is delivered: " + m);
        }

        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 12), owner.getRef(), sp.getRef()));
        assertTrue(sp.receiveMessage(LONG).isSuccess());
        assertEquals(144, assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG)).value());
        System.out.println("forged lengths: " + shapes + " shapes on " + (WireTags.OUTPUT - WireTags.SPAWN + 1)
                + " tags, " + sent + " sent to the runtime, " + dropped + " dropped (" + malformedUser
                + " decoded and refused)");
    }

    /**
     * A task the runtime spawned sends it forged lengths on the result and user tags (so they are
     * decoded as its own): each is refused before it allocates, dropped and counted; its owner
     * hears only its real result and exit.
     */
    @Test
    @Order(3)
    void forgedLengthsFromASpawnedTaskAreDropped() {
        Map<String, Long> before = counters().droppedByReason();
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(ForgingTask.class), owner.getRef(), sp.getRef()));
        assertTrue(sp.receiveMessage(LONG).isSuccess());
        MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG), "only its real result");
        assertTrue(r.success(), String.valueOf(r.error()));
        int shapes = RogueTask.forgedLengths(0).size();
        assertEquals(2 * shapes, r.value());
        assertEquals(MsgTaskExit.Cause.EXITED, assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG)).cause());
        Map<String, Long> after = counters().droppedByReason();
        assertEquals(shapes, increase(before, after, "malformed result"), "each on the result tag: " + after);
        assertEquals(shapes, increase(before, after, "malformed user message"), "each on the user tag: " + after);
        System.out.println("forged lengths: " + 2 * shapes + " sent by a spawned task to the runtime, all dropped");
    }

    private static long increase(Map<String, Long> before, Map<String, Long> after, String reasonPrefix) {
        return after.entrySet().stream().filter(e -> e.getKey().startsWith(reasonPrefix))
                .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    }
}
