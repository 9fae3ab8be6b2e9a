package org.pvmakka.internal.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.PvmFactory;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedClusterBinding;
import org.pvmakka.testkit.SimulatedVm;

/**
 * The guardian: creates the {@link PvmBridgeActor} (on its pinned dispatcher), the
 * {@link HostMonitor}, the {@link Spawner} and the {@link CoreCounter}, wires them, and serves the
 * public {@link PvmCommand} protocol by handing each command to the actor that owns it.
 */
public final class PvmRuntime extends AbstractBehavior<PvmCommand> {

    /**
     * The runtime with settings from the actor system's configuration, on the {@link Pvm} that
     * {@code pvm-akka.implementation} names (see {@link #pvmFactory}).
     */
    public static Behavior<PvmCommand> create() {
        return Behaviors.setup(ctx -> {
            PvmSettings settings = PvmSettings.create(ctx.getSystem().settings().config());
            return new PvmRuntime(ctx, settings, pvmFactory(ctx.getSystem(), settings));
        });
    }

    /** The runtime with explicit settings, on the {@link Pvm} that their {@code implementation} names. */
    public static Behavior<PvmCommand> create(PvmSettings settings) {
        return Behaviors.setup(ctx -> new PvmRuntime(ctx, settings, pvmFactory(ctx.getSystem(), settings)));
    }

    /**
     * The runtime with explicit settings on an explicitly chosen {@link Pvm}, e.g.
     * {@code cluster::attach} of a {@link SimulatedCluster}; {@code implementation} is not consulted.
     *
     * @param pvms called once, on the bridge actor's own thread
     */
    public static Behavior<PvmCommand> create(PvmSettings settings, PvmFactory pvms) {
        return Behaviors.setup(ctx -> new PvmRuntime(ctx, settings, pvms));
    }

    /**
     * The {@link Pvm} that {@code pvm-akka.implementation} names: libpvm through JNA, or the
     * {@link SimulatedCluster} bound to this actor system with {@link SimulatedClusterBinding}.
     *
     * @throws IllegalStateException when {@code simulated} is configured and no cluster is bound
     *     (the runtime never falls back from one implementation to the other)
     */
    public static PvmFactory pvmFactory(ActorSystem<?> system, PvmSettings settings) {
        return switch (settings.implementation) {
            case JNA -> () -> JnaPvm.open(settings.pvmOptions);
            case SIMULATED -> {
                SimulatedCluster cluster = SimulatedClusterBinding.get(system).cluster().orElseThrow(() ->
                        new IllegalStateException("pvm-akka.implementation = simulated, but no SimulatedCluster is bound"
                                + " to actor system '" + system.name() + "': bind one with SimulatedClusterBinding.get("
                                + "system).bind(cluster), or start the runtime with SimulatedVm.start(system, cluster)"));
                int max = settings.pvmOptions.maxMessageBytes();
                yield () -> cluster.attach(max);
            }
        };
    }

    private final ActorRef<PvmBridgeActor.Command> bridge;
    private final ActorRef<HostMonitor.Command> monitor;
    private final ActorRef<Spawner.Command> spawner;

    private PvmRuntime(ActorContext<PvmCommand> ctx, PvmSettings settings, PvmFactory pvms) {
        super(ctx);
        WireCodec codec = new WireCodec(settings.wire);
        bridge = ctx.spawn(PvmBridgeActor.create(settings, codec, pvms), "bridge",
                DispatcherSelector.fromConfig(PvmSettings.BRIDGE_DISPATCHER));
        monitor = ctx.spawn(HostMonitor.create(bridge), "host-monitor");
        spawner = ctx.spawn(Spawner.create(bridge, monitor, codec, settings.resultGrace,
                settings.killGrace, settings.maxTasksPerSpawn), "spawner");
        ActorRef<CoreCounter.Command> coreCounter = ctx.spawn(CoreCounter.create(spawner, monitor, settings.coreTimeout,
                settings.reprobeInterval, settings.heartbeatInterval, settings.livenessTimeout), "core-counter");
        bridge.tell(new PvmBridgeActor.Attach(spawner, monitor));
        monitor.tell(new HostMonitor.Start(spawner, coreCounter));
    }

    @Override
    public Receive<PvmCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(PvmCommand.SpawnFunction.class, c -> {
                    spawner.tell(new Spawner.Spawn(c.spec(), c.owner(), c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.SendMessage.class, c -> {
                    bridge.tell(new PvmBridgeActor.Send(c.to(), c.message(), c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.SubscribeMessages.class, c -> {
                    bridge.tell(new PvmBridgeActor.SubscribeMessages(c.subscriber()));
                    return this;
                })
                .onMessage(PvmCommand.SubscribeHostEvents.class, c -> {
                    monitor.tell(new HostMonitor.Subscribe(c.subscriber()));
                    return this;
                })
                .onMessage(PvmCommand.UnsubscribeHostEvents.class, c -> {
                    monitor.tell(new HostMonitor.Unsubscribe(c.subscriber()));
                    return this;
                })
                .onMessage(PvmCommand.GetStatus.class, this::onGetStatus)
                .onMessage(PvmCommand.KillTask.class, c -> {
                    spawner.tell(new Spawner.Kill(c.task(), c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.KillAll.class, c -> {
                    spawner.tell(new Spawner.KillAll(c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.Alive.class, c -> {
                    bridge.tell(new PvmBridgeActor.Alive(c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.WaitForVm.class, this::onWaitForVm)
                .onMessage(PvmCommand.AddHosts.class, c -> {
                    bridge.tell(new PvmBridgeActor.AddHosts(c.hosts(), c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.DeleteHosts.class, c -> {
                    bridge.tell(new PvmBridgeActor.DeleteHosts(c.hosts(), c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.Halt.class, c -> {
                    bridge.tell(new PvmBridgeActor.Halt(c.replyTo()));
                    return this;
                })
                .onMessage(PvmCommand.GetCounters.class, c -> {
                    bridge.tell(new PvmBridgeActor.GetCounters(c.replyTo()));
                    return this;
                })
                .build();
    }

    private Behavior<PvmCommand> onGetStatus(PvmCommand.GetStatus c) {
        getContext().spawnAnonymous(StatusQuery.create(monitor, spawner, c.replyTo()));
        return this;
    }

    private Behavior<PvmCommand> onWaitForVm(PvmCommand.WaitForVm c) {
        getContext().spawnAnonymous(VmWaiter.create(monitor, c.timeout(), c.replyTo()));
        return this;
    }

    /** Asks the monitor and the spawner, answers one {@link VmStatus}, stops. */
    static final class StatusQuery {
        private StatusQuery() {
        }

        private sealed interface Msg {
        }

        private record Hosts(HostMonitor.HostTable table, Throwable error) implements Msg {
        }

        private record Tasks(List<TaskStatus> tasks, Throwable error) implements Msg {
        }

        static Behavior<Msg> create(ActorRef<HostMonitor.Command> monitor, ActorRef<Spawner.Command> spawner,
                ActorRef<StatusReply<VmStatus>> replyTo) {
            return Behaviors.setup(ctx -> {
                Duration t = Duration.ofSeconds(30);
                ctx.ask(HostMonitor.HostTable.class, monitor, t, HostMonitor.Refresh::new, Hosts::new);
                return Behaviors.receive(Msg.class).onMessage(Hosts.class, h -> {
                    if (h.error() != null) {
                        replyTo.tell(StatusReply.error("host table: " + h.error().getMessage()));
                        return Behaviors.stopped();
                    }
                    if (!h.table().vmUp()) {
                        replyTo.tell(StatusReply.error("the virtual machine is not available (no pvmd answers)"));
                        return Behaviors.stopped();
                    }
                    @SuppressWarnings("unchecked")
                    Class<List<TaskStatus>> listClass = (Class<List<TaskStatus>>) (Class<?>) List.class;
                    ctx.ask(listClass, spawner, t, Spawner.ListTasks::new, Tasks::new);
                    return Behaviors.receive(Msg.class).onMessage(Tasks.class, tk -> {
                        if (tk.error() != null) {
                            replyTo.tell(StatusReply.error("task table: " + tk.error().getMessage()));
                        } else {
                            replyTo.tell(StatusReply.success(new VmStatus(h.table().hosts(), tk.tasks(),
                                    h.table().architectures(), h.table().vmTasks())));
                        }
                        return Behaviors.stopped();
                    }).build();
                }).build();
            });
        }
    }

    /** Polls the monitor until the VM is up and probed, or the timeout passes. */
    static final class VmWaiter {
        private VmWaiter() {
        }

        private sealed interface Msg {
        }

        private record Ready(Boolean up, Throwable error) implements Msg {
        }

        private enum Retry implements Msg {
            INSTANCE
        }

        private enum Deadline implements Msg {
            INSTANCE
        }

        static Behavior<Msg> create(ActorRef<HostMonitor.Command> monitor, Duration timeout, ActorRef<Boolean> replyTo) {
            return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
                timers.startSingleTimer(Deadline.INSTANCE, timeout.isNegative() ? Duration.ofDays(365) : timeout);
                Runnable ask = () -> ctx.ask(Boolean.class, monitor, Duration.ofDays(1), HostMonitor.WhenReady::new,
                        Ready::new);
                ask.run();
                return Behaviors.receive(Msg.class)
                        .onMessage(Ready.class, r -> {
                            if (Boolean.TRUE.equals(r.up())) {
                                replyTo.tell(true);
                                return Behaviors.stopped();
                            }
                            timers.startSingleTimer(Retry.INSTANCE, Duration.ofMillis(200));
                            return Behaviors.same();
                        })
                        .onMessageEquals(Retry.INSTANCE, () -> {
                            ask.run();
                            return Behaviors.same();
                        })
                        .onMessageEquals(Deadline.INSTANCE, () -> {
                            replyTo.tell(false);
                            return Behaviors.stopped();
                        })
                        .build();
            }));
        }
    }
}
