package org.pvmakka.tests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedPvm;
import org.pvmakka.testkit.SimulatedVm;

/**
 * The {@link RuntimeContract} on the simulator: one simulated host, workers on threads; a worker
 * killed with {@link SimulatedCluster#killTask}, another attached process as another program.
 */
class SimulatedRuntimeTest extends RuntimeContract {
    static final int CORES = 4;
    static SimulatedCluster cluster;
    static SimulatedVm vm;

    static SimulatedFixture sim;

    @BeforeAll
    static void start() {
        sim = SimulatedFixture.start("sim-runtime", 7, CORES, "pvm-akka.result-grace = 300ms");
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
    int expectedCores() {
        return CORES;
    }

    /** The pid is this JVM's: the worker is a thread here. */
    @Override
    void killBehindTheRuntimesBack(TaskId task, long pid) {
        cluster.killTask(task);
    }

    @Override
    AutoCloseable startAnotherProgramsTask() {
        SimulatedPvm other = cluster.attach();
        other.mytid();
        return other::exit;
    }
}
