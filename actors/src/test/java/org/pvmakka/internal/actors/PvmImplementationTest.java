package org.pvmakka.internal.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.internal.worker.HostInfoReporter;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.VirtualMachine;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.PvmException;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedClusterBinding;
import org.pvmakka.testkit.SimulatedPvm;
import org.pvmakka.testkit.SimulatedVm;

/** The implementation is chosen explicitly, by configuration or in code; never by fallback. */
class PvmImplementationTest {
    static final ActorTestKit kit = ActorTestKit.create("impl",
            ConfigFactory.parseString("pvm-akka.implementation = simulated").withFallback(ConfigFactory.load()));

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static Config conf(String s) {
        return ConfigFactory.parseString(s).withFallback(ConfigFactory.load());
    }

    @Test
    void jnaIsTheDefaultAndAnUnknownImplementationIsRefused() {
        assertEquals(PvmSettings.Implementation.JNA, PvmSettings.create(ConfigFactory.load()).implementation);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PvmSettings.create(conf("pvm-akka.implementation = fake")));
        assertTrue(e.getMessage().contains("must be jna or simulated"), e.getMessage());
    }

    @Test
    void aMissingLibpvmIsAnErrorNotASimulator() {
        PvmSettings s = PvmSettings.create(conf("pvm-akka.library = \"/nonexistent/libpvm3.so.3\""));
        PvmException e;
        try {
            e = assertThrows(PvmException.class, () -> PvmRuntime.pvmFactory(kit.system(), s, "missing").open());
        } finally {
            LibPvmSession.release("missing");
        }
        assertTrue(e.getMessage().contains("cannot load libpvm3"), e.getMessage());
    }

    @Test
    void simulatedWithoutABoundClusterFailsWithAClearErrorAndWithOneUsesIt() {
        PvmSettings s = PvmSettings.create(kit.system().settings().config());
        assertEquals(PvmSettings.Implementation.SIMULATED, s.implementation);
        ActorTestKit other = ActorTestKit.create("unbound", kit.system().settings().config());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PvmRuntime.pvmFactory(other.system(), s, "unbound"));
            assertTrue(e.getMessage().contains("no SimulatedCluster is bound"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> VirtualMachine.attach(other.system()));
        } finally {
            other.shutdownTestKit();
        }
        try (SimulatedCluster cluster = new SimulatedCluster(1)) {
            cluster.addHost("m", 2);
            SimulatedClusterBinding.get(kit.system()).bind(cluster);
            Pvm pvm = PvmRuntime.pvmFactory(kit.system(), s, "sim").open();
            assertInstanceOf(SimulatedPvm.class, pvm);
            assertEquals(0x40001, pvm.mytid());
            pvm.exit();
        }
    }

    @Test
    void codeThatStartsTheRuntimeItselfRunsOnTheBoundClusterWhenConfigured() throws Exception {
        try (SimulatedCluster cluster = new SimulatedCluster(3)) {
            cluster.addHost("only", 5);
            SimulatedClusterBinding.get(kit.system()).bind(cluster);
            try (VirtualMachine vm = VirtualMachine.attach(kit.system())) { // as application code would
                assertTrue(vm.waitForVm(Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS));
                vm.spawnFunction(SpawnSpec.of(HostInfoReporter.class)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                TaskMessage m = vm.receiveMessage(10).orElseThrow();
                MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, m.message());
                assertEquals(new HostReport("only", 5), r.value());
            }
        }
    }

    @Test
    void theRuntimeStartsOnASimulatedClusterInOneLine() {
        try (SimulatedCluster cluster = new SimulatedCluster(2)) {
            cluster.addHost("master", 2);
            cluster.addHost("node1", "LINUX64", 2000, 6);
            try (SimulatedVm vm = SimulatedVm.start(kit.system(), cluster)) {
                VmStatus status = vm.status();
                assertEquals(List.of("master", "node1"), status.hosts().stream().map(h -> h.id().name()).toList());
                assertEquals(List.of(2, 6), status.hosts().stream().map(HostStatus::cores).toList(),
                        "measured by the reporter task, as declared");
                assertEquals(8, status.freeSlots());
            }
        }
    }
}
