package org.pvmakka.javadsl;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.internal.bridge.PvmFactory;

/**
 * The pvm-akka Akka extension: exactly one runtime per actor system, started on first use as a system actor with the
 * system's {@code pvm-akka} settings, and stopped by {@link CoordinatedShutdown} (its tasks killed, PVM left
 * cleanly) before the actor system terminates.
 *
 * <pre>{@code
 * ActorRef<PvmCommand> pvm = PvmAkka.get(system).runtime();
 * pvm.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 7), owner, replyTo));
 * }</pre>
 *
 * <p>libpvm allows one PVM session per process: a second actor system in the same JVM whose runtime would need
 * libpvm is refused at once by {@link #get} with an {@link IllegalStateException} that says why. Runtimes on a
 * {@code SimulatedCluster} (the testkit) are not limited.
 */
public final class PvmAkka implements Extension {

    /** The extension's ID (Akka's {@code ExtensionId} pattern). */
    public static final Id ID = new Id();

    /** Creates the extension for an actor system; use {@link PvmAkka#get}. */
    public static final class Id extends ExtensionId<PvmAkka> {
        private Id() {
        }

        @Override
        public PvmAkka createExtension(ActorSystem<?> system) {
            return new PvmAkka(system);
        }
    }

    /** Settings given in code for an actor system whose extension has not been created yet. */
    private static final Map<ActorSystem<?>, PvmSettings> PRESET = new WeakHashMap<>();

    /**
     * This actor system's pvm-akka extension (created, and its runtime started, on first use).
     *
     * @param system the actor system
     * @return its extension
     * @throws IllegalStateException when the runtime cannot start (e.g. a second libpvm session in this JVM)
     */
    public static PvmAkka get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /**
     * This actor system's extension, created with {@code settings} (made in code, e.g. with registrar instances) if it
     * does not exist yet.
     *
     * @param system the actor system
     * @param settings the settings to create it with
     * @return its extension
     * @throws IllegalStateException when the extension already runs with other settings
     */
    public static PvmAkka get(ActorSystem<?> system, PvmSettings settings) {
        synchronized (PRESET) {
            PRESET.put(system, settings);
        }
        PvmAkka p = ID.apply(system);
        synchronized (PRESET) {
            PRESET.remove(system);
        }
        if (p.settings != settings && !p.settings.config().equals(settings.config())) {
            throw new IllegalStateException("the pvm-akka runtime of actor system '" + system.name()
                    + "' already runs with other settings");
        }
        return p;
    }

    private final PvmSettings settings;
    private final ActorRef<PvmCommand> runtime;

    private PvmAkka(ActorSystem<?> system) {
        PvmSettings preset;
        synchronized (PRESET) {
            preset = PRESET.get(system);
        }
        settings = preset != null ? preset : PvmSettings.create(system.settings().config());
        String who = "the pvm-akka runtime of actor system '" + system.name() + "' (#"
                + Integer.toHexString(System.identityHashCode(system)) + ")";
        PvmFactory pvms = PvmRuntime.pvmFactory(system, settings, who);
        runtime = system.systemActorOf(PvmRuntime.create(settings, pvms, PvmRuntime.usesLibPvm(settings) ? who : null),
                "pvm-akka", Props.empty());
        CoordinatedShutdown.get(Adapter.toClassic(system)).addTask(CoordinatedShutdown.PhaseServiceStop(),
                "pvm-akka-stop", () -> stop(system));
    }

    /** {@return the runtime's actor: send it {@link PvmCommand}s} */
    public ActorRef<PvmCommand> runtime() {
        return runtime;
    }

    /** {@return the settings the runtime runs with} */
    public PvmSettings settings() {
        return settings;
    }

    /** Kills this runtime's tasks, then stops the runtime (it leaves PVM) and completes when it has stopped. */
    private CompletionStage<Done> stop(ActorSystem<?> system) {
        Duration t = settings.askTimeout;
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        AskPattern.<PvmCommand, StatusReply<Integer>>ask(runtime, PvmCommand.KillAll::new, t, system.scheduler())
                .whenComplete((killed, err) -> {
                    system.systemActorOf(Behaviors.<Void>setup(ctx -> {
                        ctx.watch(runtime);
                        system.classicSystem().stop(Adapter.toClassic(runtime));
                        return Behaviors.<Void>receive(Void.class).onSignal(Terminated.class, s -> {
                            stopped.complete(Done.done());
                            return Behaviors.stopped();
                        }).build();
                    }), "pvm-akka-stop", Props.empty());
                });
        return stopped;
    }
}
