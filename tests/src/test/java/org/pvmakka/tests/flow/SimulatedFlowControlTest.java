package org.pvmakka.tests.flow;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pvmakka.tests.SimulatedFixture;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;

/** The {@link FlowControlContract} on the simulator: the same worker runtime, on a thread of this JVM. */
class SimulatedFlowControlTest extends FlowControlContract {
    static SimulatedCluster cluster;
    static SimulatedVm vm;

    static SimulatedFixture sim;

    @BeforeAll
    static void start() {
        sim = SimulatedFixture.start("sim-flow", 11, 2, CONFIG);
        kit = sim.kit;
        cluster = sim.cluster;
        vm = sim.vm;
        runtime = vm.runtime();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Override
    int floodMessages() {
        return 50_000;
    }
}
