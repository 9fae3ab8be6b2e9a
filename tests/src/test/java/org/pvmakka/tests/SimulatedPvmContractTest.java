package org.pvmakka.tests;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedPvm;

/** The {@link PvmContract} against the simulator: one simulated host, workers on threads, no daemon. */
class SimulatedPvmContractTest extends PvmContract {
    static final int CORES = 3;
    static SimulatedCluster cluster;

    @BeforeAll
    static void setUp() {
        cluster = new SimulatedCluster(42);
        cluster.addHost("sim-master", "LINUX64", 1000, CORES);
        pvm = cluster.attach();
        pvm.mytid();
        useWire();
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    @Override
    int expectedCores() {
        return CORES;
    }

    @Override
    int maxMessageBytes() {
        return JnaPvmOptions.DEFAULT_MAX_MESSAGE_BYTES;
    }

    @Override
    Pvm sameProcessWithMaxMessageBytes(int max) {
        return ((SimulatedPvm) pvm).withMaxMessageBytes(max);
    }
}
