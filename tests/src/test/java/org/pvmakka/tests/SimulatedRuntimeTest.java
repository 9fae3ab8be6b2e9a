package org.pvmakka.tests;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
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

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("sim-runtime", ConfigFactory.parseString("pvm-akka.result-grace = 300ms\n"
                + "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]").withFallback(ConfigFactory.load()));
        cluster = new SimulatedCluster(7);
        cluster.addHost("sim-master", CORES);
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
