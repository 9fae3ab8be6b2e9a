package org.pvmakka.tests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;
import org.pvmakka.tests.fn.KillMeOnce;

/** The {@link PoolContract} on the simulator: one simulated host of 4 cores, workers on threads. */
class SimulatedPoolTest extends PoolContract {
    static final int CORES = 4;
    static SimulatedCluster cluster;
    static SimulatedVm vm;

    static SimulatedFixture sim;

    @BeforeAll
    static void start() {
        sim = SimulatedFixture.start("sim-pool", 13, CORES, "");
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
    int slots() {
        return CORES;
    }

    @Override
    Class<? extends TaskFunction> dyingOnce() {
        return KillMeOnce.class;
    }

    /** A simulated worker must not exit the test JVM: it asks, and the simulated cluster kills it. */
    @Override
    void onJobMessage(TaskMessage m) {
        if ("kill-me".equals(m.message())) {
            cluster.killTask(m.sender());
        }
    }
}
