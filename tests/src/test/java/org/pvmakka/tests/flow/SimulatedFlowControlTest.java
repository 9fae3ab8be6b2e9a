package org.pvmakka.tests.flow;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;

/** The {@link FlowControlContract} on the simulator: the same worker runtime, on a thread of this JVM. */
class SimulatedFlowControlTest extends FlowControlContract {
    static SimulatedCluster cluster;
    static SimulatedVm vm;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("sim-flow", ConfigFactory.parseString(CONFIG
                + "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]").withFallback(ConfigFactory.load()));
        cluster = new SimulatedCluster(11);
        cluster.addHost("sim-master", 2);
        vm = SimulatedVm.start(kit.system(), cluster);
        runtime = vm.runtime();
    }

    @AfterAll
    static void stop() {
        vm.close();
        kit.shutdownTestKit();
        cluster.close();
    }

    @Override
    int floodMessages() {
        return 50_000;
    }
}
