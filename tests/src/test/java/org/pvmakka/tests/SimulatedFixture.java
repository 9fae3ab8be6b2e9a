package org.pvmakka.tests;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;

/** A contract suite's simulated VM: an actor test kit, a one-host cluster, the runtime on it; closed in reverse. */
public final class SimulatedFixture implements AutoCloseable {
    public final ActorTestKit kit;
    public final SimulatedCluster cluster;
    public final SimulatedVm vm;

    private SimulatedFixture(ActorTestKit kit, SimulatedCluster cluster, SimulatedVm vm) {
        this.kit = kit;
        this.cluster = cluster;
        this.vm = vm;
    }

    /** A kit named {@code name} with the test registrar and {@code config}, a host "sim-master" of {@code cores}. */
    public static SimulatedFixture start(String name, long seed, int cores, String config) {
        ActorTestKit kit = ActorTestKit.create(name, ConfigFactory.parseString(config
                + "\npvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]").withFallback(ConfigFactory.load()));
        SimulatedCluster cluster = new SimulatedCluster(seed);
        cluster.addHost("sim-master", cores);
        return new SimulatedFixture(kit, cluster, SimulatedVm.start(kit.system(), cluster));
    }

    @Override
    public void close() {
        vm.close();
        kit.shutdownTestKit();
        cluster.close();
    }
}
