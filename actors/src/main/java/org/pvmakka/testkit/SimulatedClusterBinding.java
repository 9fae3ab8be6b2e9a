package org.pvmakka.testkit;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.pvmakka.javadsl.VirtualMachine;

/**
 * The {@link SimulatedCluster} an actor system's runtimes use when it is configured with
 * {@code pvm-akka.implementation = simulated}: bind it before the runtime starts
 * ({@link org.pvmakka.javadsl.PvmAkka#get} or {@link VirtualMachine#attach} on this system), e.g. in a test whose
 * application code starts the runtime itself. Without a bound cluster such a runtime refuses to start.
 */
public final class SimulatedClusterBinding implements Extension {
    private static final Id ID = new Id();

    private final AtomicReference<SimulatedCluster> cluster = new AtomicReference<>();

    private SimulatedClusterBinding() {
    }

    /**
     * The binding of an actor system.
     *
     * @param system the actor system
     * @return its binding (without a cluster until {@link #bind})
     */
    public static SimulatedClusterBinding get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /**
     * Runtimes started afterwards use this cluster (replaces an earlier one).
     *
     * @param simulated the cluster
     * @throws IllegalArgumentException when {@code simulated} is null
     */
    public void bind(SimulatedCluster simulated) {
        if (simulated == null) {
            throw new IllegalArgumentException("cluster is required");
        }
        cluster.set(simulated);
    }

    /** {@return the bound cluster, if any} */
    public Optional<SimulatedCluster> cluster() {
        return Optional.ofNullable(cluster.get());
    }

    private static final class Id extends ExtensionId<SimulatedClusterBinding> {
        @Override
        public SimulatedClusterBinding createExtension(ActorSystem<?> system) {
            return new SimulatedClusterBinding();
        }
    }
}
