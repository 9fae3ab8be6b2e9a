package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskOutput;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sink;

/**
 * Forged lengths (issue 12) sent by a rogue task to a worker, on every runtime tag: the worker
 * drops and counts every one (it says how many as it ends; debug level 2 forwards that line), its
 * function hears none of them and goes on receiving the real messages in order.
 */
@ExtendWith(RealPvm.class)
class WorkerWireAttackIT {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static final Duration LONG = Duration.ofSeconds(60);
    static final Pattern DROPPED = Pattern.compile("dropped (\\d+) messages in all");

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("worker-attack", RealPvm.runtimeConfig("pvm-akka.debug = 2"));
        runtime = RuntimeFixture.start(kit).runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void aWorkerDropsForgedLengthsAndKeepsServing() throws Exception {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Sink.class), owner.getRef(), sp.getRef()));
        TaskId sink = sp.receiveMessage(LONG).getValue().tasks().get(0);
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        runtime.tell(new PvmCommand.SendMessage(sink, 0, ack.getRef())); // it runs and receives
        assertTrue(ack.receiveMessage(LONG).isSuccess());

        int shapes = RogueTask.forgedLengths(sink.tid()).size();
        int sent = RogueTask.run(sink.tid(), sink.tid(), "lengths").sent();
        assertEquals(shapes * (WireTags.OUTPUT - WireTags.SPAWN + 1), sent);

        for (int i = 1; i < 100; i++) {
            runtime.tell(new PvmCommand.SendMessage(sink, i, ack.getRef()));
            assertTrue(ack.receiveMessage(LONG).isSuccess());
        }
        Thread.sleep(500); // the rogue's messages are all in before "stop"
        runtime.tell(new PvmCommand.SendMessage(sink, "stop", ack.getRef()));
        assertTrue(ack.receiveMessage(LONG).isSuccess());

        StringBuilder output = new StringBuilder();
        Object result = null;
        boolean exited = false;
        while (!exited) {
            TaskEvent e = owner.receiveMessage(LONG);
            if (e instanceof MsgTaskOutput o) {
                output.append(o.text());
            } else if (e instanceof MsgTaskResult r) {
                assertTrue(r.success(), "Sink failed: " + r.error() + "\n" + output);
                result = r.value();
            } else if (e instanceof MsgTaskExit x) {
                exited = true;
                assertEquals(MsgTaskExit.Cause.EXITED, x.cause());
            }
        }
        assertEquals(100, result, "every real message, in order, and no forged one: " + output);
        for (int i = 0; i < 40 && !DROPPED.matcher(output).find(); i++) { // output may trail the exit
            try {
                if (owner.receiveMessage(Duration.ofMillis(250)) instanceof MsgTaskOutput o) {
                    output.append(o.text());
                }
            } catch (AssertionError nothingYet) {
                // wait on
            }
        }
        Matcher m = DROPPED.matcher(output);
        assertTrue(m.find(), "the worker counts its drops: " + output);
        // the batch on the batch tag is dropped message by message: its two count twice
        assertEquals(sent + 1, Integer.parseInt(m.group(1)), "every forged message dropped and counted: " + output);
        System.out.println("forged lengths: " + sent + " sent to a worker, " + m.group(1) + " dropped; it went on");
    }
}
