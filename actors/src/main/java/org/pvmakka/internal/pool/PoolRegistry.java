package org.pvmakka.internal.pool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.ServiceKey;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.pool.PoolCommand;

/**
 * Where pools are found: every {@link PoolActor} registers itself with the actor system's Receptionist under the key
 * of its runtime when it starts (the Receptionist removes it when it stops), so that the status page lists the pools
 * of the runtime it serves.
 */
public final class PoolRegistry {
    private static final String PREFIX = "pvm-akka-pools:";

    private PoolRegistry() {
    }

    /** {@return the key of the pools over {@code runtime}} */
    public static ServiceKey<PoolCommand> key(ActorRef<PvmCommand> runtime) {
        return ServiceKey.create(PoolCommand.class, PREFIX + runtime.path().toStringWithoutAddress());
    }
}
