package org.pvmakka.testkit;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.internal.actors.SettingsInternals;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.VmStatus;

/**
 * The runtime on a {@link SimulatedCluster}, for testing your own actors without a pvmd: one line
 * in a test starts it inside an actor system (e.g. an {@code ActorTestKit}'s) and returns once
 * every host has been probed. The simulator is chosen here, in code; nothing else falls back to
 * it.
 *
 * <pre>{@code
 * SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster);
 * vm.runtime().tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 7), probe.getRef(), replies.getRef()));
 * }</pre>
 */
public final class SimulatedVm implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ActorSystem<?> system;
    private final SimulatedCluster cluster;
    private final ActorRef<PvmCommand> runtime;
    private final Duration askTimeout;
    private final String name;

    private SimulatedVm(ActorSystem<?> system, SimulatedCluster cluster, ActorRef<PvmCommand> runtime,
            Duration askTimeout, String name) {
        this.system = system;
        this.cluster = cluster;
        this.runtime = runtime;
        this.askTimeout = askTimeout;
        this.name = name;
    }

    /**
     * Starts the runtime with the system's {@code pvm-akka} settings on {@code cluster}; see
     * {@link #start(ActorSystem, SimulatedCluster, PvmSettings)}.
     *
     * @param system the actor system to run the runtime in
     * @param cluster the simulated PVM
     * @return the started runtime, its VM up
     * @throws IllegalStateException when the VM is not up within the ask timeout
     */
    public static SimulatedVm start(ActorSystem<?> system, SimulatedCluster cluster) {
        return start(system, cluster, PvmSettings.create(system.settings().config()));
    }

    /**
     * Starts a runtime on {@code cluster} (whatever {@code settings.implementation}
     * says) and waits until the VM is up and every host has been probed.
     *
     * @param system the actor system to run the runtime in
     * @param cluster the simulated PVM
     * @param settings the runtime's settings
     * @return the started runtime, its VM up
     * @throws IllegalStateException when that does not happen within {@code settings.askTimeout}
     */
    public static SimulatedVm start(ActorSystem<?> system, SimulatedCluster cluster, PvmSettings settings) {
        int max = SettingsInternals.wire(settings).maxMessageBytes();
        String name = "pvm-akka-sim-" + COUNTER.incrementAndGet();
        ActorRef<PvmCommand> runtime = system.systemActorOf(PvmRuntime.create(settings, () -> cluster.attach(max), null), name,
                Props.empty());
        SimulatedVm vm = new SimulatedVm(system, cluster, runtime, settings.askTimeout, name);
        Boolean up;
        try {
            up = AskPattern.<PvmCommand, StatusReply<Done>>ask(runtime,
                    r -> new PvmCommand.WaitForVm(settings.askTimeout, r), settings.askTimeout.multipliedBy(2),
                    system.scheduler()).toCompletableFuture().get(settings.askTimeout.toMillis() * 2,
                    TimeUnit.MILLISECONDS).isSuccess();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vm.close();
            throw new IllegalStateException("interrupted while the simulated VM came up", e);
        } catch (ExecutionException | TimeoutException e) {
            up = false;
        }
        if (!up) {
            vm.close();
            throw new IllegalStateException("the simulated VM did not come up within " + settings.askTimeout
                    + "; its journal: " + cluster.journal());
        }
        return vm;
    }

    /** {@return the runtime's actor: send it {@link PvmCommand}s} */
    public ActorRef<PvmCommand> runtime() {
        return runtime;
    }

    /** {@return the simulated cluster, for fault injection} */
    public SimulatedCluster cluster() {
        return cluster;
    }

    /**
     * The runtime's view of the VM (blocks up to the ask timeout).
     *
     * @return the status
     * @throws IllegalStateException when the runtime does not answer in time, or answers with an error
     */
    public VmStatus status() {
        try {
            return AskPattern.<PvmCommand, VmStatus>askWithStatus(runtime, PvmCommand.GetStatus::new, askTimeout,
                    system.scheduler()).toCompletableFuture().get(askTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no status: " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
    }

    /**
     * Stops the runtime and waits until it has left the VM (its tasks then stop too, having lost
     * their parent). The cluster and the actor system keep running.
     */
    @Override
    public void close() {
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        system.systemActorOf(Behaviors.<Void>setup(ctx -> {
            ctx.watch(runtime);
            return Behaviors.<Void>receive(Void.class).onSignal(Terminated.class, t -> {
                stopped.complete(Done.done());
                return Behaviors.stopped();
            }).build();
        }), name + "-stop", Props.empty());
        system.classicSystem().stop(Adapter.toClassic(runtime));
        try {
            stopped.get(askTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // best effort: the runtime is stopping
        }
    }
}
