package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.tests.fn.Square;

/** The runtime with no pvmd at all: it starts, answers cleanly, and times out instead of hanging. */
class NoVmIT {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;

    @BeforeAll
    static void start() throws Exception {
        Path empty = RealPvm.workDir().resolve("no-pvmd");
        Files.createDirectories(empty);
        kit = ActorTestKit.create("no-vm", ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + empty + "\"\n"
                + "pvm-akka.allow-root = on").withFallback(ConfigFactory.load()));
        runtime = PvmAkka.get(kit.system()).runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void waitForVmTimesOutCleanly() {
        TestProbe<StatusReply<Done>> p = kit.createTestProbe();
        long t0 = System.nanoTime();
        runtime.tell(new PvmCommand.WaitForVm(Duration.ofSeconds(1), p.getRef()));
        StatusReply<Done> r = p.receiveMessage(Duration.ofSeconds(10));
        assertTrue(r.isError());
        assertTrue(r.getError().getMessage().contains("not available"), r.getError().getMessage()); // says why
        double s = (System.nanoTime() - t0) / 1e9;
        assertTrue(s >= 0.9 && s < 5, "answered after the timeout, not before and not much later: " + s);
    }

    @Test
    void aliveIsFalseAndSpawnAndStatusFailWithAClearError() {
        TestProbe<StatusReply<Done>> alive = kit.createTestProbe();
        runtime.tell(new PvmCommand.Alive(alive.getRef()));
        StatusReply<Done> a = alive.receiveMessage(Duration.ofSeconds(10));
        assertTrue(a.isError());
        assertTrue(a.getError().getMessage().contains("no pvmd"), a.getError().getMessage());
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 1), owner.getRef(), sp.getRef()));
        StatusReply<Spawned> r = sp.receiveMessage(Duration.ofSeconds(10));
        assertTrue(r.isError());
        assertTrue(r.getError().getMessage().contains("not available"), r.getError().getMessage());
        TestProbe<StatusReply<VmStatus>> st = kit.createTestProbe();
        runtime.tell(new PvmCommand.GetStatus(st.getRef()));
        assertTrue(st.receiveMessage(Duration.ofSeconds(10)).isError());
    }
}
