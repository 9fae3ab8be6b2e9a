package org.pvmakka.internal.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.worker.HostInfoReporter;
import org.pvmakka.javadsl.MsgSpawnFailed;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;

/** A runtime that cannot open libpvm answers every request at once with the cause, never a time-out. */
class RuntimeStartFailureTest {

    @Test
    void aMissingLibpvmIsTheAnswerToEveryRequest() {
        ActorTestKit kit = ActorTestKit.create("no-libpvm", ConfigFactory.parseString(
                "pvm-akka.implementation = jna\npvm-akka.library = \"/nonexistent/libpvm3.so.3\"")
                .withFallback(ConfigFactory.load()));
        try {
            ActorRef<PvmCommand> runtime = PvmAkka.get(kit.system()).runtime();
            Duration quick = Duration.ofSeconds(3);
            TestProbe<StatusReply<Done>> up = kit.createTestProbe();
            long t0 = System.nanoTime();
            runtime.tell(new PvmCommand.WaitForVm(Duration.ofMinutes(5), up.getRef()));
            StatusReply<Done> r = up.receiveMessage(quick);
            assertTrue(r.isError());
            assertTrue(r.getError().getMessage().contains("/nonexistent/libpvm3.so.3"), r.getError().getMessage());
            runtime.tell(new PvmCommand.Alive(up.getRef()));
            assertTrue(up.receiveMessage(quick).getError().getMessage().contains("could not start"));
            TestProbe<StatusReply<Spawned>> spawned = kit.createTestProbe();
            TestProbe<TaskEvent> owner = kit.createTestProbe();
            runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(HostInfoReporter.class).withCorrelation(3),
                    owner.getRef(), spawned.getRef()));
            assertTrue(spawned.receiveMessage(quick).getError().getMessage().contains("libpvm3"));
            MsgSpawnFailed told = assertInstanceOf(MsgSpawnFailed.class, owner.receiveMessage(quick));
            assertEquals(3, told.correlation());
            TestProbe<StatusReply<VmStatus>> status = kit.createTestProbe();
            runtime.tell(new PvmCommand.GetStatus(status.getRef()));
            assertTrue(status.receiveMessage(quick).isError());
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "answered at once, not after a time-out");
        } finally {
            kit.shutdownTestKit();
        }
    }
}
