package org.pvmakka.internal.actors;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.PvmFactory;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.VmHaltGuard;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.http.StatusServer;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.javadsl.VmTask;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedClusterBinding;

/**
 * The guardian: creates the {@link PvmBridgeActor} (on its pinned dispatcher), the {@link HostMonitor}, the
 * {@link Spawner} and the {@link CoreCounter}, wires them, and serves the public {@link PvmCommand} protocol by
 * handing each command to the actor that owns it. Commands that come while the bridge opens PVM wait (a bounded
 * number); when the runtime cannot start (libpvm missing, root not allowed, a bad registrar), every command is
 * answered at once with the cause.
 */
public final class PvmRuntime extends AbstractBehavior<Object> {

    /** The most commands held while PVM is being opened; more are refused. */
    static final int MAX_WAITING = 10_000;

    /**
     * The runtime with explicit settings on an explicitly chosen {@link org.pvmakka.internal.bridge.Pvm}.
     *
     * @param pvms called once, on the bridge actor's own thread
     * @param session the libpvm session this runtime holds (released when it stops), or null
     */
    public static Behavior<PvmCommand> create(PvmSettings settings, PvmFactory pvms, String session) {
        return Behaviors.<Object>setup(ctx -> {
            WireCodec codec;
            PvmSettings prepared;
            try {
                prepared = WorkerPreparation.prepare(settings); // the worker start-up cache: here, not in settings
                codec = new WireCodec(SettingsInternals.wire(prepared), prepared.registrarInstances());
            } catch (RuntimeException | LinkageError e) {
                release(session);
                return failed("the runtime could not start: " + describe(e));
            }
            return new PvmRuntime(ctx, prepared, codec, pvms, session);
        }).narrow();
    }

    /**
     * The PVM that {@code pvm-akka.implementation} names: libpvm through JNA (taking this JVM's one libpvm session for
     * {@code who}, see {@link LibPvmSession}), or the {@link SimulatedCluster} bound to this actor system.
     *
     * @throws IllegalStateException when {@code simulated} is configured and no cluster is bound, or when libpvm is
     *     already in use in this JVM (the runtime never falls back from one implementation to the other)
     */
    public static PvmFactory pvmFactory(ActorSystem<?> system, PvmSettings settings, String who) {
        return switch (settings.implementation) {
            case JNA -> {
                LibPvmSession.acquire(who, SettingsInternals.pvmOptions(settings).pvmTmp());
                yield () -> {
                    Pvm pvm = JnaPvm.open(SettingsInternals.pvmOptions(settings));
                    if (settings.surviveVmHalt) {
                        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PvmRuntime.class);
                        VmHaltGuard.install(SettingsInternals.pvmOptions(settings).pvmTmp(), log::warn);
                    }
                    return pvm;
                };
            }
            case SIMULATED -> {
                SimulatedCluster cluster = SimulatedClusterBinding.get(system).cluster().orElseThrow(() ->
                        new IllegalStateException("pvm-akka.implementation = simulated, but no SimulatedCluster is bound"
                                + " to actor system '" + system.name() + "': bind one with SimulatedClusterBinding.get("
                                + "system).bind(cluster), or start the runtime with SimulatedVm.start(system, cluster)"));
                int max = SettingsInternals.wire(settings).maxMessageBytes();
                yield () -> cluster.attach(max);
            }
        };
    }

    /** Whether {@code settings} use libpvm (and so a {@link LibPvmSession}). */
    public static boolean usesLibPvm(PvmSettings settings) {
        return settings.implementation == PvmSettings.Implementation.JNA;
    }

    private final PvmSettings settings;
    private final ActorRef<PvmBridgeActor.Command> bridge;
    private final ActorRef<HostMonitor.Command> monitor;
    private final ActorRef<Spawner.Command> spawner;
    private final ActorRef<CoreCounter.Command> coreCounter;
    private final String session;
    private List<PvmCommand> waiting = new ArrayList<>();

    private PvmRuntime(ActorContext<Object> ctx, PvmSettings settings, WireCodec codec, PvmFactory pvms,
            String session) {
        super(ctx);
        this.settings = settings;
        this.session = session;
        ActorRef<PvmBridgeActor.Opened> opened = ctx.getSelf().narrow();
        bridge = ctx.spawn(PvmBridgeActor.create(settings, codec, pvms, opened), "bridge",
                DispatcherSelector.fromConfig(PvmSettings.BRIDGE_DISPATCHER));
        monitor = ctx.spawn(HostMonitor.create(bridge, settings.internalAskTimeout(), settings.reattachInterval),
                "host-monitor");
        spawner = ctx.spawn(Spawner.create(bridge, monitor, codec, settings.resultGrace,
                settings.killGrace, settings.maxTasksPerSpawn, settings.internalAskTimeout(), SettingsInternals.flowWindow(settings)),
                "spawner");
        coreCounter = ctx.spawn(CoreCounter.create(spawner, monitor, settings.coreTimeout,
                settings.reprobeInterval, settings.heartbeatInterval, settings.livenessTimeout), "core-counter");
        bridge.tell(new PvmBridgeActor.Attach(spawner, monitor));
        monitor.tell(new HostMonitor.Start(spawner, coreCounter));
        if (settings.httpPort > 0) { // the status page and metrics, reading this runtime through PvmCommand
            ctx.spawn(StatusServer.create(ctx.getSelf().narrow(), settings.httpInterface, settings.httpPort, null),
                    "http");
        }
    }

    private static void release(String session) {
        if (session != null) {
            LibPvmSession.release(session);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(PvmBridgeActor.Opened.class, this::onOpened)
                .onMessage(PvmCommand.class, c -> {
                    if (waiting == null) {
                        serve(c);
                    } else if (waiting.size() < MAX_WAITING) {
                        waiting.add(c);
                    } else {
                        Refusals.refuse(c, "the runtime is still opening PVM and already holds " + MAX_WAITING
                                + " commands");
                    }
                    return this;
                })
                .onSignal(PostStop.class, s -> {
                    release(session);
                    return this;
                })
                .build();
    }

    private Behavior<Object> onOpened(PvmBridgeActor.Opened o) {
        List<PvmCommand> held = waiting;
        waiting = null;
        if (o.failure() != null) {
            getContext().getLog().error("the runtime could not start: {}", o.failure());
            getContext().stop(monitor);
            getContext().stop(spawner);
            getContext().stop(coreCounter);
            Behavior<Object> failed = failedKeeping("the runtime could not start: " + o.failure(), session);
            held.forEach(c -> Refusals.refuse(c, "the runtime could not start: " + o.failure()));
            return failed;
        }
        held.forEach(this::serve);
        return this;
    }

    /** A runtime that answers every command at once with {@code cause}. */
    static Behavior<Object> failed(String cause) {
        return Behaviors.receive(Object.class).onMessage(PvmCommand.class, c -> {
            Refusals.refuse(c, cause);
            return Behaviors.same();
        }).build();
    }

    private static Behavior<Object> failedKeeping(String cause, String session) {
        return Behaviors.receive(Object.class).onMessage(PvmCommand.class, c -> {
            Refusals.refuse(c, cause);
            return Behaviors.same();
        }).onSignal(PostStop.class, s -> {
            release(session);
            return Behaviors.same();
        }).build();
    }

    private void serve(PvmCommand command) {
        if (command instanceof PvmCommand.SpawnFunction c) {
            spawner.tell(new Spawner.Spawn(c.spec(), c.owner(), c.replyTo()));
        } else if (command instanceof PvmCommand.SendMessage c) {
            bridge.tell(new PvmBridgeActor.Send(c.to(), c.message(), c.replyTo()));
        } else if (command instanceof PvmCommand.SendAndConfirm c) {
            bridge.tell(new PvmBridgeActor.SendConfirmed(c.to(), c.message(), c.replyTo()));
        } else if (command instanceof PvmCommand.MessagesHandled c) {
            bridge.tell(new PvmBridgeActor.Confirm(c.task(), c.count(), c.replyTo()));
        } else if (command instanceof PvmCommand.SubscribeMessages c) {
            bridge.tell(new PvmBridgeActor.SubscribeMessages(c.subscriber()));
        } else if (command instanceof PvmCommand.SubscribeHostEvents c) {
            monitor.tell(new HostMonitor.Subscribe(c.subscriber()));
        } else if (command instanceof PvmCommand.UnsubscribeHostEvents c) {
            monitor.tell(new HostMonitor.Unsubscribe(c.subscriber()));
        } else if (command instanceof PvmCommand.SubscribeTaskEvents c) {
            spawner.tell(new Spawner.SubscribeTaskEvents(c.subscriber()));
        } else if (command instanceof PvmCommand.GetStatus c) {
            getContext().spawnAnonymous(StatusQuery.create(monitor, spawner, settings.askTimeout, c.replyTo()));
        } else if (command instanceof PvmCommand.KillTask c) {
            spawner.tell(new Spawner.Kill(c.task(), c.replyTo()));
        } else if (command instanceof PvmCommand.KillAll c) {
            spawner.tell(new Spawner.KillAll(c.replyTo()));
        } else if (command instanceof PvmCommand.Alive c) {
            bridge.tell(new PvmBridgeActor.Alive(c.replyTo()));
        } else if (command instanceof PvmCommand.WaitForVm c) {
            getContext().spawnAnonymous(VmWaiter.create(monitor, c.timeout(), c.replyTo()));
        } else if (command instanceof PvmCommand.AddHosts c) {
            bridge.tell(new PvmBridgeActor.AddHosts(c.hosts(), c.replyTo()));
        } else if (command instanceof PvmCommand.DeleteHosts c) {
            bridge.tell(new PvmBridgeActor.DeleteHosts(c.hosts(), c.replyTo()));
        } else if (command instanceof PvmCommand.Halt c) {
            bridge.tell(new PvmBridgeActor.Halt(c.replyTo()));
        } else if (command instanceof PvmCommand.GetCounters c) {
            bridge.tell(new PvmBridgeActor.GetCounters(c.replyTo()));
        }
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
                Duration t, ActorRef<StatusReply<VmStatus>> replyTo) {
            return Behaviors.setup(ctx -> {
                ctx.ask(HostMonitor.HostTable.class, monitor, t, HostMonitor.Refresh::new, Hosts::new);
                return Behaviors.receive(Msg.class).onMessage(Hosts.class, h -> {
                    if (h.error() != null) {
                        replyTo.tell(StatusReply.error("host table: " + h.error().getMessage()));
                        return Behaviors.stopped();
                    }
                    if (!h.table().vmUp()) {
                        replyTo.tell(StatusReply.error(VmWaiter.down(h.table())));
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
                                    h.table().architectures(), h.table().vmTasks().stream().map(v -> new VmTask(
                                            v.tid(), v.parentTid(), v.hostDtid(), v.flags(), v.name(), v.pid()))
                                            .toList())));
                        }
                        return Behaviors.stopped();
                    }).build();
                }).build();
            });
        }
    }

    /** Waits for the monitor to say the VM is up and probed; at the deadline, says why it is not. */
    static final class VmWaiter {
        private VmWaiter() {
        }

        private sealed interface Msg {
        }

        private record Ready(Boolean up, Throwable error) implements Msg {
        }

        private record Why(HostMonitor.HostTable table, Throwable error) implements Msg {
        }

        private enum Retry implements Msg {
            INSTANCE
        }

        private enum Deadline implements Msg {
            INSTANCE
        }

        static String down(HostMonitor.HostTable t) {
            return "the virtual machine is not available: " + (t.downReason() != null ? t.downReason()
                    : "no pvmd answers");
        }

        static String why(HostMonitor.HostTable t, Duration timeout) {
            if (!t.vmUp()) {
                return down(t) + " (waited " + timeout.toMillis() + " ms)";
            }
            List<String> probing = t.hosts().stream().filter(h -> h.cores() < 0 && h.problem() == null)
                    .map(h -> h.id().toString()).toList();
            return "hosts still being probed after " + timeout.toMillis() + " ms: " + probing;
        }

        static Behavior<Msg> create(ActorRef<HostMonitor.Command> monitor, Duration timeout,
                ActorRef<StatusReply<Done>> replyTo) {
            return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
                timers.startSingleTimer(Deadline.INSTANCE, timeout.isNegative() ? Duration.ofDays(365) : timeout);
                Runnable ask = () -> ctx.ask(Boolean.class, monitor, Duration.ofDays(1), HostMonitor.WhenReady::new,
                        Ready::new);
                ask.run();
                return Behaviors.receive(Msg.class)
                        .onMessage(Ready.class, r -> {
                            if (Boolean.TRUE.equals(r.up())) {
                                replyTo.tell(StatusReply.ack());
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
                            ctx.ask(HostMonitor.HostTable.class, monitor, Duration.ofSeconds(5),
                                    r -> new HostMonitor.GetHosts(r, false), Why::new);
                            return Behaviors.same();
                        })
                        .onMessage(Why.class, w -> {
                            replyTo.tell(StatusReply.error(w.error() != null ? "the virtual machine did not come up"
                                    + " within " + timeout.toMillis() + " ms" : why(w.table(), timeout)));
                            return Behaviors.stopped();
                        })
                        .build();
            }));
        }
    }
}
