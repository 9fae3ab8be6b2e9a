package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.RuntimeCounters;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;

/**
 * Bad input from the wire: a rogue PVM task sends garbage, truncated payloads, unregistered class
 * IDs, forged results and messages on every tag the runtime uses. Each is dropped and counted, no
 * owner hears of it, and the runtime stays alive and correct.
 */
@ExtendWith(RealPvm.class)
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

    @Test
    void forgedAndMalformedMessagesAreDroppedCountedAndHarmless() throws Exception {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Sleeper.class, 4000), owner.getRef(), sp.getRef()));
        TaskId victim = sp.receiveMessage(LONG).getValue().tasks().get(0);
        TestProbe<StatusReply<VmStatus>> st = kit.createTestProbe();
        runtime.tell(new PvmCommand.GetStatus(st.getRef()));
        long myPid = ProcessHandle.current().pid();
        int runtimeTid = st.receiveMessage(LONG).getValue().vmTasks().stream().filter(t -> t.pid() == myPid)
                .mapToInt(TaskInfo::tid).findFirst().orElseThrow();
        long droppedBefore = counters().dropped();

        ProcessBuilder pb = new ProcessBuilder(WorkerCommand.currentJava(), "-cp",
                String.join(File.pathSeparator, WorkerCommand.currentClasspath()), RogueTask.class.getName(),
                String.valueOf(runtimeTid), String.valueOf(victim.tid()));
        pb.environment().put("PVM_TMP", RealPvm.daemon().pvmTmp().toString());
        pb.environment().put("PVM_ALLOW_ROOT", "1");
        pb.redirectErrorStream(true);
        Process rogue = pb.start();
        String out = new String(rogue.getInputStream().readAllBytes());
        assertEquals(0, rogue.waitFor(), out);
        int sent = Integer.parseInt(out.replaceAll("(?s).*sent (\\d+).*", "$1"));
        assertTrue(sent > 100, out);

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
}
