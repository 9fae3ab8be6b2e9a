package org.pvmakka.tests.multihost;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.testkit.SimulatedCluster;

/**
 * The {@link MultiHostContract} on the simulator: the two hosts are declared machines that
 * {@code pvm_addhosts} adds; the dying pvmd is {@link SimulatedCluster#failHost}.
 */
class SimulatedMultiHostTest extends MultiHostContract {
    static SimulatedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new SimulatedCluster(11);
        cluster.addHost("sim0", "LINUX64", 1000, 2);
        cluster.declareHost("sim1", "LINUX64", 1000, 2);
        cluster.declareHost("sim2", "LINUX64", 1000, 2);
        pvm = cluster.attach();
        pvm.mytid();
    }

    @AfterAll
    static void stop() {
        pvm.exit();
        cluster.close();
    }

    @Override
    String masterName() {
        return "sim0";
    }

    @Override
    List<String> hostsToAdd() {
        return List.of("sim1", "sim2");
    }

    @Override
    void killPvmdOf(String host) {
        cluster.failHost(host);
    }

    @Override
    void checkRunsOn(String host, TaskInfo task) {
        assertTrue(cluster.tasks().contains(task), "the cluster runs " + task);
    }

    @Override
    void checkGone(String host, TaskInfo task) {
        assertTrue(cluster.host(host).isEmpty(), host + " left the VM");
        assertFalse(cluster.tasks().stream().anyMatch(t -> t.tid() == task.tid()), "its task is gone");
    }
}
