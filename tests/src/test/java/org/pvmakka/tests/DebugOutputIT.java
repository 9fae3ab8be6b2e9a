package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskOutput;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.Printer;

/** Debug level 2: the output of spawned tasks reaches their owner as MsgTaskOutput events. */
@ExtendWith(RealPvm.class)
class DebugOutputIT {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static final Duration LONG = Duration.ofSeconds(60);

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("debug-it", RealPvm.runtimeConfig("pvm-akka.debug = 2"));
        runtime = RuntimeFixture.start(kit).runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void taskOutputIsForwardedToTheOwner() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Printer.class, "marker-42"), owner.getRef(), sp.getRef()));
        TaskId t = sp.receiveMessage(LONG).getValue().tasks().get(0);
        StringBuilder out = new StringBuilder();
        boolean result = false;
        while (true) {
            TaskEvent e = owner.receiveMessage(LONG);
            assertEquals(t, e.taskId());
            if (e instanceof MsgTaskOutput o) {
                out.append(o.text());
            } else if (e instanceof MsgTaskResult r) {
                assertEquals("printed", r.value());
                result = true;
            } else if (e instanceof MsgTaskExit) {
                break;
            }
        }
        assertTrue(result);
        assertTrue(out.toString().contains("out: marker-42"), out.toString());
        assertTrue(out.toString().contains("err: marker-42"), out.toString());
    }
}
