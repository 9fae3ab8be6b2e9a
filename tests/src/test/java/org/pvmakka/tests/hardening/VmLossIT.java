package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pvmakka.cli.LocalPvmd;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;

/**
 * The pvmd dies (SIGKILL) under the runtime: owners learn it within 2 s, the bridge neither spins
 * nor hangs, the actor system shuts down cleanly, and a new runtime works once a new pvmd runs.
 */
class VmLossIT {
    static final Duration LONG = Duration.ofSeconds(60);

    static Config config(Path dir) {
        return ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + dir + "\"\npvm-akka.allow-root = on\n"
                + "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]").withFallback(ConfigFactory.load());
    }

    static ActorRef<PvmCommand> startRuntime(ActorTestKit kit) {
        return RuntimeFixture.start(kit).runtime();
    }

    @Test
    void losingThePvmdIsReportedQuicklyAndANewRuntimeWorksWithANewPvmd() throws Exception {
        Path dir = RealPvm.workDir().resolve("doomed-pvm");
        LocalPvmd pvmd = LocalPvmd.start(dir, Map.of());
        ActorTestKit kit = ActorTestKit.create("vm-loss", config(dir));
        ActorRef<PvmCommand> runtime = startRuntime(kit);
        TestProbe<HostEvent> hosts = kit.createTestProbe();
        runtime.tell(new PvmCommand.SubscribeHostEvents(hosts.getRef()));
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Sleeper.class, 60_000).withCount(2), owner.getRef(),
                sp.getRef()));
        assertEquals(2, sp.receiveMessage(LONG).getValue().tasks().size());

        long t0 = System.nanoTime();
        ProcessHandle.of(pvmd.pid()).orElseThrow().destroyForcibly();
        for (int i = 0; i < 2; i++) {
            MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(Duration.ofSeconds(2)));
            assertEquals(MsgTaskExit.Cause.VM_LOST, x.cause());
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        assertInstanceOf(HostEvent.MsgHostDelete.class, hosts.receiveMessage(Duration.ofSeconds(2)));

        // pending and new operations fail with a clear error, at once
        TestProbe<StatusReply<VmStatus>> st = kit.createTestProbe();
        runtime.tell(new PvmCommand.GetStatus(st.getRef()));
        assertTrue(st.receiveMessage(Duration.ofSeconds(10)).isError());
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 1), owner.getRef(), sp.getRef()));
        StatusReply<Spawned> refused = sp.receiveMessage(Duration.ofSeconds(10));
        assertTrue(refused.isError(), refused::toString);

        // the bridge does not spin: the JVM stays nearly idle
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        Thread.sleep(2000);
        double cpu = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - w0);
        assertTrue(cpu < 25, "no busy loop after the loss: " + cpu + " % CPU");

        long s0 = System.nanoTime();
        kit.shutdownTestKit();
        double shutdownMs = (System.nanoTime() - s0) / 1e6;
        pvmd.close();

        // a new pvmd in the same PVM_TMP (libpvm reads it once per process), a new runtime
        RealPvm.outliveDaemonShutdown(); // stopping it below must not end this JVM
        try (LocalPvmd fresh = LocalPvmd.start(dir, Map.of())) {
            ActorTestKit kit2 = ActorTestKit.create("vm-new", config(dir));
            try {
                ActorRef<PvmCommand> rt = startRuntime(kit2);
                TestProbe<TaskEvent> o2 = kit2.createTestProbe();
                TestProbe<StatusReply<Spawned>> sp2 = kit2.createTestProbe();
                rt.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 8), o2.getRef(), sp2.getRef()));
                assertTrue(sp2.receiveMessage(LONG).isSuccess());
                assertEquals(64, assertInstanceOf(MsgTaskResult.class, o2.receiveMessage(LONG)).value());
            } finally {
                kit2.shutdownTestKit();
            }
        }
        System.out.printf("pvmd SIGKILL: owners told after %.0f ms; idle %.1f %% CPU after; shutdown %.0f ms%n", ms, cpu,
                shutdownMs);
    }
}
