package org.pvmakka.javadsl;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pvmakka.task.TaskId;

/**
 * The runtime for code that is not an actor: the same operations as {@link PvmCommand}, as
 * {@link CompletionStage}s, and a blocking {@link #receiveMessage} with PyOPUS's semantics. Tasks
 * spawned here report to this facade: their messages, {@code MsgTaskResult}s, {@code MsgTaskExit}s
 * and host additions and deletions all arrive through {@link #receiveMessage} as
 * {@code (sender, message)} pairs (host events with sender {@link TaskId#INVALID}).
 */
public final class VirtualMachine implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ActorSystem<?> system;
    private final boolean ownsSystem;
    private final ActorRef<PvmCommand> runtime;
    private final ActorRef<TaskEvent> events;
    private final ActorRef<HostEvent> hostEvents;
    private final LinkedBlockingQueue<TaskMessage> inbox = new LinkedBlockingQueue<>();
    private final Duration askTimeout;
    private volatile boolean closed;

    private VirtualMachine(ActorSystem<?> system, boolean ownsSystem, PvmSettings settings) {
        this.system = system;
        this.ownsSystem = ownsSystem;
        PvmAkka pvm = PvmAkka.get(system, settings); // refuses at once: a second libpvm session, no cluster bound
        this.askTimeout = pvm.settings().askTimeout;
        this.runtime = pvm.runtime();
        int n = COUNTER.incrementAndGet();
        this.events = system.systemActorOf(Behaviors.receive(TaskEvent.class).onAnyMessage(e -> {
            // the spawn's CompletionStage already tells of starts and refusals
            if (!(e instanceof MsgTaskStarted) && !(e instanceof MsgSpawnFailed)) {
                inbox.add(e instanceof TaskMessage m ? m : new TaskMessage(e.taskId(), e, e.correlation()));
            }
            return Behaviors.same();
        }).build(), "pvm-akka-facade-" + n + "-inbox", Props.empty());
        this.hostEvents = system.systemActorOf(Behaviors.receive(HostEvent.class).onAnyMessage(e -> {
            if (!(e instanceof HostEvent.MsgHostResponsive)) {
                inbox.add(new TaskMessage(TaskId.INVALID, e)); // PyOPUS delivers host add/delete as messages
            }
            return Behaviors.same();
        }).build(), "pvm-akka-facade-" + n + "-hosts", Props.empty());
        runtime.tell(new PvmCommand.SubscribeHostEvents(hostEvents));
    }

    /**
     * Starts a runtime in its own actor system configured from {@code application.conf}.
     *
     * @return the facade; close it to stop the runtime
     */
    public static VirtualMachine create() {
        return create(ConfigFactory.load());
    }

    /**
     * Starts a runtime in its own actor system with this configuration. That system's scheduler
     * ticks every {@code pvm-akka.facade.scheduler-tick-duration} (100 ms; the runtime's timers are
     * coarser), so that an idle runtime costs little CPU; "" keeps {@code akka.scheduler.tick-duration}.
     *
     * @param config the configuration, with the {@code pvm-akka} settings
     * @return the facade; close it to stop the runtime
     * @throws PvmSettingsException for a bad setting, before any actor starts
     */
    public static VirtualMachine create(Config config) {
        return create(PvmSettings.create(config)); // a bad setting fails here, before any actor starts
    }

    /**
     * Starts a runtime in its own actor system with settings made in code (see
     * {@link PvmSettings#builder()}); the system is configured from {@link PvmSettings#config()}.
     *
     * @param settings the runtime's settings
     * @return the facade; close it to stop the runtime
     */
    public static VirtualMachine create(PvmSettings settings) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pvm-akka", ownSystemConfig(settings.config()));
        try {
            return new VirtualMachine(system, true, settings);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    /** The configuration of the facade's own actor system: {@code config} with its scheduler tick. */
    static Config ownSystemConfig(Config config) {
        String tick = config.hasPath("pvm-akka.facade.scheduler-tick-duration")
                ? config.getString("pvm-akka.facade.scheduler-tick-duration") : "";
        return tick.isEmpty() ? config
                : ConfigFactory.parseString("akka.scheduler.tick-duration = " + tick).withFallback(config);
    }

    /**
     * A facade on the runtime of an existing actor system ({@link PvmAkka#get}); {@link #close()} closes this facade,
     * not the runtime, which stops with the actor system.
     *
     * @param system the actor system whose runtime to use
     * @return the facade
     */
    public static VirtualMachine attach(ActorSystem<?> system) {
        return new VirtualMachine(system, false, PvmSettings.create(system.settings().config()));
    }

    /** {@return the actor system the runtime runs in (its own, or the one it was attached to)} */
    public ActorSystem<?> system() {
        return system;
    }

    /** {@return the runtime's actor, for use from actors} */
    public ActorRef<PvmCommand> runtime() {
        return runtime;
    }

    private <T> CompletionStage<T> askStatus(
            akka.japi.function.Function<ActorRef<akka.pattern.StatusReply<T>>, PvmCommand> make) {
        return AskPattern.askWithStatus(runtime, make, askTimeout, system.scheduler());
    }

    /**
     * Spawns a task function; its events arrive through {@link #receiveMessage}.
     *
     * @param spec what to spawn
     * @return the started tasks and failed slots; fails when the spawn is refused
     */
    public CompletionStage<Spawned> spawnFunction(SpawnSpec spec) {
        return askStatus(r -> new PvmCommand.SpawnFunction(spec, events, r));
    }

    /**
     * Sends a registered object to a task.
     *
     * @param to the destination task
     * @param message an instance of a registered wire type
     * @return completes once PVM accepted it (not delivered); fails naming the problem
     */
    public CompletionStage<Done> sendMessage(TaskId to, Object message) {
        return askStatus(r -> new PvmCommand.SendMessage(to, message, r));
    }

    /**
     * Receives the next message, PyOPUS style.
     *
     * @param timeoutSeconds negative blocks, 0 polls, above 0 waits at most that long
     * @return {@code (sender, message)}, or empty on time-out
     * @throws IllegalStateException when the virtual machine was closed
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Optional<TaskMessage> receiveMessage(double timeoutSeconds) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("this VirtualMachine is closed");
        }
        if (timeoutSeconds < 0) {
            return Optional.of(inbox.take());
        }
        if (timeoutSeconds == 0) {
            return Optional.ofNullable(inbox.poll());
        }
        return Optional.ofNullable(inbox.poll((long) (timeoutSeconds * 1e9), TimeUnit.NANOSECONDS));
    }

    /** {@return a snapshot of hosts, tasks and slots} */
    public CompletionStage<VmStatus> status() {
        return askStatus(PvmCommand.GetStatus::new);
    }

    /**
     * Kills one task this runtime spawned.
     *
     * @param task the task
     * @return completes once the kill was issued; fails for a task that is not a running task of this runtime
     */
    public CompletionStage<Done> killTask(TaskId task) {
        return askStatus(r -> new PvmCommand.KillTask(task, r));
    }

    /**
     * Kills every task this runtime spawned and cancels its queued spawns.
     *
     * @return how many tasks were killed
     */
    public CompletionStage<Integer> killAll() {
        return askStatus(PvmCommand.KillAll::new);
    }

    /** {@return whether the VM answers (PyOPUS's {@code alive()}); {@link #checkAlive()} says why not} */
    public CompletionStage<Boolean> alive() {
        return checkAlive().handle((ok, err) -> err == null);
    }

    /**
     * Checks that the VM answers ({@code pvm_mytid}).
     *
     * @return completes when it does; fails with the reason when it does not (no pvmd, libpvm missing, ...)
     */
    public CompletionStage<Done> checkAlive() {
        return askStatus(PvmCommand.Alive::new);
    }

    /**
     * Whether the VM comes up in time; {@link #awaitVm} says why not.
     *
     * @param timeout how long to wait
     * @return true once the VM is up and probed; false after the timeout
     */
    public CompletionStage<Boolean> waitForVm(Duration timeout) {
        return awaitVm(timeout).handle((ok, err) -> err == null);
    }

    /**
     * Waits for the VM to be up and every host probed.
     *
     * @param timeout how long to wait
     * @return completes once it is; fails after {@code timeout} saying why not
     */
    public CompletionStage<Done> awaitVm(Duration timeout) {
        return AskPattern.askWithStatus(runtime,
                (ActorRef<akka.pattern.StatusReply<Done>> r) -> new PvmCommand.WaitForVm(timeout, r),
                timeout.plus(askTimeout), system.scheduler());
    }

    /**
     * Adds hosts to the VM ({@code pvm_addhosts}).
     *
     * @param hosts host names, with hostfile options
     * @return one result per host (its dtid, or the PVM error)
     */
    public CompletionStage<java.util.List<HostChange>> addHosts(java.util.List<String> hosts) {
        return askStatus(r -> new PvmCommand.AddHosts(hosts, r));
    }

    /**
     * Deletes hosts from the VM ({@code pvm_delhosts}).
     *
     * @param hosts host names
     * @return one result per host
     */
    public CompletionStage<java.util.List<HostChange>> deleteHosts(java.util.List<String> hosts) {
        return askStatus(r -> new PvmCommand.DeleteHosts(hosts, r));
    }

    /**
     * Stops the whole virtual machine ({@code pvm_halt}): every pvmd and task.
     *
     * @return completes once {@code pvm_halt} returned; fails saying why it could not be called
     */
    public CompletionStage<Done> halt() {
        return askStatus(PvmCommand.Halt::new);
    }

    /** {@return what the runtime routed and dropped of the PVM traffic it received} */
    public CompletionStage<RuntimeCounters> counters() {
        return askStatus(PvmCommand.GetCounters::new);
    }

    /** Closes this facade; a facade that made its own actor system ({@link #create}) also stops it and the runtime. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsSystem) {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort
            }
        } else {
            runtime.tell(new PvmCommand.UnsubscribeHostEvents(hostEvents));
            system.classicSystem().stop(akka.actor.typed.javadsl.Adapter.toClassic(events));
            system.classicSystem().stop(akka.actor.typed.javadsl.Adapter.toClassic(hostEvents));
        }
    }
}
