package org.pvmakka.tests.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.PidReporter;

/**
 * The {@link FlowControlContract} on a real pvmd, and what an acknowledged send means there: a task that stops
 * reading and dies loses a {@code SendMessage} that was acked, and a {@code SendAndConfirm} to it fails. The flood's
 * size is {@code -Dflow.n} (150 000 by default; run it with {@code -Dflow.n=1000000 -DargLine=-Xmx256m} for the
 * issue's figure).
 */
@ExtendWith(RealPvm.class)
class FlowControlIT extends FlowControlContract {

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("flow", RealPvm.runtimeConfig(CONFIG));
        runtime = PvmAkka.get(kit.system()).runtime();
        RuntimeFixture.start(kit);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Override
    int floodMessages() {
        return Integer.getInteger("flow.n", 150_000);
    }

    static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, p.waitFor(), "kill -" + sig + " " + pid);
    }

    @Test
    void anAckedSendIsHandedToPvmNotDeliveredAConfirmedSendToADyingTaskFails() throws Exception {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId task = spawnOk(SpawnSpec.of(PidReporter.class, 120_000), owner.getRef()).tasks().get(0);
        long pid = (Long) owner.expectMessageClass(TaskMessage.class, LONG).message();
        signal("STOP", pid); // the worker reads nothing from now on
        try {
            TestProbe<StatusReply<Done>> plain = kit.createTestProbe();
            runtime.tell(new PvmCommand.SendMessage(task, "lost", plain.getRef()));
            assertTrue(plain.receiveMessage(LONG).isSuccess(), "SendMessage acks: handed to PVM");
            TestProbe<StatusReply<Done>> confirmed = kit.createTestProbe();
            runtime.tell(new PvmCommand.SendAndConfirm(task, "lost too", confirmed.getRef()));
            confirmed.expectNoMessage(Duration.ofMillis(500)); // no receipt from a stopped worker
            long t0 = System.nanoTime();
            signal("KILL", pid);
            StatusReply<Done> r = confirmed.receiveMessage(LONG);
            System.out.printf("confirmed send to a task killed after the send: %s after %d ms%n", r,
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(r.isError(), () -> "the confirmed send must fail: " + r);
            assertTrue(r.getError().getMessage().contains("ended before it confirmed receipt"), r.getError().getMessage());
        } finally {
            new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor(); // if an assertion failed
        }
        while (!(owner.receiveMessage(LONG) instanceof MsgTaskExit)) {
            // its messages and result
        }
    }
}
