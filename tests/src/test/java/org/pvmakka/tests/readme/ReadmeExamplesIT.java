package org.pvmakka.tests.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.VirtualMachine;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.fn.Square;

/** The README's examples, compiled and run against a real pvmd. */
@ExtendWith(RealPvm.class)
class ReadmeExamplesIT {

    @Test
    void theActorExampleGetsFourResultsThenFourExits() {
        ActorTestKit kit = ActorTestKit.create("readme", RealPvm.runtimeConfig(""));
        try {
            TestProbe<Object> report = kit.createTestProbe();
            kit.spawn(PiCaller.create(report.getRef()), "caller");
            int results = 0;
            int exits = 0;
            while (exits < 4) {
                Object o = report.receiveMessage(Duration.ofSeconds(60));
                if (o instanceof MsgTaskResult r) {
                    assertTrue(r.success());
                    assertEquals("pi-run-1", r.correlation());
                    long hits = (Long) r.value();
                    assertEquals(Math.PI, 4.0 * hits / 1_000_000, 0.05);
                    results++;
                } else {
                    assertEquals(MsgTaskExit.Cause.EXITED, assertInstanceOf(MsgTaskExit.class, o).cause());
                    exits++;
                }
            }
            assertEquals(4, results);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void theFacadeExampleReceivesTheResultThenTheExit() throws Exception {
        StringBuilder printed = new StringBuilder();
        // --- README: "Using it without actors" ---
        try (VirtualMachine vm = VirtualMachine.create(RealPvm.runtimeConfig(""))) {
            vm.waitForVm(Duration.ofSeconds(30)).toCompletableFuture().get();
            Spawned s = vm.spawnFunction(SpawnSpec.of(Square.class, 12)).toCompletableFuture().get();
            Optional<TaskMessage> m = vm.receiveMessage(10);         // negative blocks, 0 polls, >0 waits
            m.ifPresent(msg -> printed.append(msg.sender() + " -> " + msg.message()));
            // --- end of the README example ---
            assertEquals(s.tasks().get(0), m.orElseThrow().sender());
            assertEquals(144, assertInstanceOf(MsgTaskResult.class, m.get().message()).value());
            assertInstanceOf(MsgTaskExit.class, vm.receiveMessage(10).orElseThrow().message());
        }
        assertTrue(printed.toString().contains("MsgTaskResult"), printed.toString());
    }
}
