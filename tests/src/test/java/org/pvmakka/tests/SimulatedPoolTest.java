package org.pvmakka.tests;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
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

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("sim-pool", ConfigFactory.parseString(
                "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]").withFallback(ConfigFactory.load()));
        cluster = new SimulatedCluster(13);
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
