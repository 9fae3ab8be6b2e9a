package org.pvmakka.internal.actors;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.http.SpawnTiming;
import org.pvmakka.internal.wire.FlowWindow;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.javadsl.MsgSpawnFailed;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.MsgTaskStarted;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;
import org.pvmakka.task.WireException;

/**
 * Spawns task functions and keeps the {@link TaskTable} of every task the runtime spawned. Spawns
 * are served one at a time: the host table is read from the {@link HostMonitor}, the
 * {@link SlotPlanner} decides where tasks go, the {@link PvmBridgeActor} starts them. Each task's
 * owner gets its result (when asked for) and then exactly one {@link MsgTaskExit} (the table's
 * state machine); this actor performs the table's effects, with the result grace, the kill grace
 * (SIGKILL after an ignored SIGTERM) and time limits on Akka timers. Owners are watched: when one
 * stops, its tasks are killed unless spawned to keep running. KillAll also cancels queued spawns
 * and kills the tasks of the spawn in flight as they appear.
 */
public final class Spawner extends AbstractBehavior<Spawner.Command> {

    /** The spawner's protocol. */
    public sealed interface Command {
    }

    /** Spawn a task function as {@code spec} says; events go to {@code owner}. */
    public record Spawn(SpawnSpec spec, ActorRef<TaskEvent> owner, ActorRef<StatusReply<Spawned>> replyTo)
            implements Command {
    }

    /**
     * Spawn one runtime task on this host, whatever its state (the core counter's sentinel): it
     * takes no slot, is not listed in the status and is not killed by {@link KillAll}.
     */
    public record SpawnOnHost(SpawnRequest request, HostId host, ActorRef<TaskEvent> owner,
            ActorRef<StatusReply<Spawned>> replyTo) implements Command {
    }

    /** A result arrived from a task (routed by the bridge). */
    public record ResultArrived(MsgTaskResult result) implements Command {
    }

    /** A task's TaskExit notify arrived. */
    public record TaskExited(TaskId task) implements Command {
    }

    /** A host left the VM: its tasks end with {@link MsgTaskExit.Cause#HOST_LOST}. */
    public record HostLost(int dtid, String reason) implements Command {
    }

    /** The pvmd is gone: every task ends with {@link MsgTaskExit.Cause#VM_LOST}. */
    public record VmLost(String reason) implements Command {
    }

    /** Kill one of this runtime's tasks. */
    public record Kill(TaskId task, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /**
     * Kill every task this runtime spawned for its users (not its sentinels), cancel the queued
     * spawns (answered with an error) and the one in flight (its tasks are killed as they start);
     * replies with how many tasks it killed, once the spawn in flight has its outcome.
     */
    public record KillAll(ActorRef<StatusReply<Integer>> replyTo) implements Command {
    }

    /** Copy the start and exit of every user task to {@code subscriber} (removed when it stops). */
    public record SubscribeTaskEvents(ActorRef<TaskEvent> subscriber) implements Command {
    }

    private record TaskSubscriberGone(ActorRef<TaskEvent> subscriber) implements Command {
    }

    /** The tasks that have not ended. */
    public record ListTasks(ActorRef<List<TaskStatus>> replyTo) implements Command {
    }

    private record HostsRead(HostMonitor.HostTable table, Throwable error) implements Command {
    }

    private record Outcome(PvmBridgeActor.SpawnOutcome outcome) implements Command {
    }

    private record GraceExpired(TaskId task) implements Command {
    }

    private record KillGraceExpired(TaskId task) implements Command {
    }

    /** The bridge's tail of a task's output, asked for when its result grace passed. */
    private record OutputTailRead(TaskId task, String tail) implements Command {
    }

    private record TimeLimitExpired(TaskId task) implements Command {
    }

    private record OwnerStopped(ActorRef<TaskEvent> owner) implements Command {
    }

    /** A KillAll that waits for the outcome of the spawn in flight (whose tasks it kills as they appear). */
    private record PendingKillAll(ActorRef<StatusReply<Integer>> replyTo, int killedBefore) {
    }

    /** The spawn being served: waits for one outcome per allocation. */
    private static final class InFlight {
        final long id;
        final Command request;
        final SpawnRequest payload;
        final boolean sendBack;
        final ActorRef<TaskEvent> owner;
        final Object correlation;
        final boolean announce;
        final ActorRef<StatusReply<Spawned>> replyTo;
        final Map<String, HostId> hostsByName = new HashMap<>();
        int pending;
        final long createdNanos = System.nanoTime();
        final List<TaskId> started = new ArrayList<>();
        final List<Spawned.Failure> failures = new ArrayList<>();
        /** Set by a KillAll: nothing more starts, what starts is killed. */
        boolean cancelled;
        int killedAfterCancel;
        final List<PendingKillAll> killAlls = new ArrayList<>();

        InFlight(long id, Command request, SpawnRequest payload, boolean sendBack, ActorRef<TaskEvent> owner,
                ActorRef<StatusReply<Spawned>> replyTo) {
            this.id = id;
            this.request = request;
            this.payload = payload;
            this.sendBack = sendBack;
            this.owner = owner;
            this.replyTo = replyTo;
            this.correlation = request instanceof Spawn s ? s.spec().correlation() : null;
            this.announce = request instanceof Spawn s && s.spec().announce();
        }
    }

    public static Behavior<Command> create(ActorRef<PvmBridgeActor.Command> bridge,
            ActorRef<HostMonitor.Command> monitor, WireCodec codec, Duration resultGrace, Duration killGrace,
            int maxTasksPerSpawn, Duration askTimeout) {
        return create(bridge, monitor, codec, resultGrace, killGrace, maxTasksPerSpawn, askTimeout, null);
    }

    /** @param flow the credit window of user tasks' messages to their owners (its owner mode is each spec's); null = none */
    public static Behavior<Command> create(ActorRef<PvmBridgeActor.Command> bridge,
            ActorRef<HostMonitor.Command> monitor, WireCodec codec, Duration resultGrace, Duration killGrace,
            int maxTasksPerSpawn, Duration askTimeout, FlowWindow flow) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Spawner(ctx, timers, bridge, monitor, codec,
                resultGrace, killGrace, maxTasksPerSpawn, askTimeout, flow)));
    }

    private final TimerScheduler<Command> timers;
    private final ActorRef<PvmBridgeActor.Command> bridge;
    private final ActorRef<HostMonitor.Command> monitor;
    private final Duration resultGrace;
    private final Duration killGrace;
    private final WireCodec codec;
    private final int maxTasksPerSpawn;
    private final Duration askTimeout;
    private final FlowWindow flow;
    /** The correlation key of each live task whose spawn gave one (added to its exit). */
    private final Map<Integer, Object> correlations = new HashMap<>();
    /** When each live user task started (for the status) and which are the users' (their events are published). */
    private final Map<Integer, Instant> userTasks = new HashMap<>();
    /** At most {@link #MAX_TASK_SUBSCRIBERS}: {@link SubscribeTaskEvents}. */
    private final Set<ActorRef<TaskEvent>> taskSubscribers = new HashSet<>();
    static final int MAX_TASK_SUBSCRIBERS = 64;
    private final ActorRef<PvmBridgeActor.SpawnOutcome> outcomeAdapter;
    private final TaskTable<ActorRef<TaskEvent>> table = new TaskTable<>();
    private final Queue<Spawn> queue = new ArrayDeque<>();
    private final Set<ActorRef<TaskEvent>> watched = new HashSet<>();
    /** The user spawn being served (user spawns go one at a time: they share the free slots). */
    private InFlight userSpawn;
    /** Every spawn waiting for outcomes from the bridge, by request ID (system spawns run alongside). */
    private final Map<Long, InFlight> pending = new HashMap<>();
    private long nextId;

    private Spawner(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<PvmBridgeActor.Command> bridge,
            ActorRef<HostMonitor.Command> monitor, WireCodec codec, Duration resultGrace, Duration killGrace,
            int maxTasksPerSpawn, Duration askTimeout, FlowWindow flow) {
        super(ctx);
        ctx.setLoggerName(Spawner.class); // not ActorCell (withTimers hides the class)
        this.flow = flow;
        this.askTimeout = askTimeout;
        this.killGrace = killGrace;
        this.maxTasksPerSpawn = maxTasksPerSpawn;
        this.codec = codec;
        this.timers = timers;
        this.bridge = bridge;
        this.monitor = monitor;
        this.resultGrace = resultGrace;
        this.outcomeAdapter = ctx.messageAdapter(PvmBridgeActor.SpawnOutcome.class, Outcome::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Spawn.class, this::enqueue)
                .onMessage(SpawnOnHost.class, this::onSpawnOnHost)
                .onMessage(HostsRead.class, this::onHostsRead)
                .onMessage(Outcome.class, this::onOutcome)
                .onMessage(ResultArrived.class, this::onResult)
                .onMessage(TaskExited.class, this::onExited)
                .onMessage(GraceExpired.class, this::onGraceExpired)
                .onMessage(OutputTailRead.class, t -> perform(table.graceExpired(t.task(), t.tail())))
                .onMessage(KillGraceExpired.class, g -> perform(table.killGraceExpired(g.task())))
                .onMessage(TimeLimitExpired.class, t -> perform(table.timeLimitExpired(t.task())))
                .onMessage(OwnerStopped.class, this::onOwnerStopped)
                .onMessage(HostLost.class, this::onHostLost)
                .onMessage(VmLost.class, this::onVmLost)
                .onMessage(Kill.class, this::onKill)
                .onMessage(KillAll.class, this::onKillAll)
                .onMessage(ListTasks.class, this::onList)
                .onMessage(SubscribeTaskEvents.class, this::onSubscribe)
                .onMessage(TaskSubscriberGone.class, g -> {
                    taskSubscribers.remove(g.subscriber());
                    return this;
                })
                .build();
    }

    private Behavior<Command> enqueue(Spawn c) {
        queue.add(c);
        serveNext();
        return this;
    }

    /** A system spawn needs no slot and no planning: it never waits behind a user spawn. */
    private Behavior<Command> onSpawnOnHost(SpawnOnHost s) {
        InFlight f = new InFlight(nextId++, s, s.request(), s.request().sendBack(), s.owner(), s.replyTo());
        f.hostsByName.put(s.host().name(), s.host());
        f.pending = 1;
        pending.put(f.id, f);
        bridge.tell(new PvmBridgeActor.SpawnTasks(f.id, s.request(), s.host().name(), 1, s.owner(), null, false,
                outcomeAdapter));
        return this;
    }

    private void serveNext() {
        while (userSpawn == null && !queue.isEmpty()) {
            Spawn s = queue.poll();
            if (s.spec().count() != null && s.spec().count() > maxTasksPerSpawn) {
                refuse(s, s.spec().count() + " tasks requested: more than pvm-akka.max-tasks-per-spawn ("
                        + maxTasksPerSpawn + ")");
                continue;
            }
            SpawnRequest request = new SpawnRequest(s.spec().functionClass(), s.spec().args(), s.spec().sendBack(),
                    flow == null ? null : new FlowWindow(flow.messages(), flow.bytes(), flow.sendTimeoutMillis(),
                            s.spec().ownerFlowControl()));
            try {
                codec.encode(request); // an unregistered argument fails here, before anything starts
            } catch (WireException e) {
                refuse(s, e.getMessage());
                continue;
            }
            userSpawn = new InFlight(nextId++, s, request, s.spec().sendBack(), s.owner(), s.replyTo());
            getContext().ask(HostMonitor.HostTable.class, monitor, askTimeout,
                    r -> new HostMonitor.GetHosts(r, true), HostsRead::new);
        }
    }

    private Behavior<Command> onHostsRead(HostsRead r) {
        InFlight f = userSpawn;
        Spawn s = (Spawn) f.request;
        if (f.cancelled) {
            finishSpawn(f, StatusReply.error(CANCELLED));
            return this;
        }
        if (r.error() != null) {
            finishSpawn(f, StatusReply.error("cannot read the host table: " + r.error().getMessage()));
            return this;
        }
        if (!r.table().vmUp()) {
            finishSpawn(f, StatusReply.error(PvmRuntime.VmWaiter.down(r.table())));
            return this;
        }
        List<SlotPlanner.Allocation> plan;
        try {
            plan = SlotPlanner.plan(r.table().hosts(), s.spec());
        } catch (IllegalArgumentException e) {
            finishSpawn(f, StatusReply.error(e.getMessage()));
            return this;
        }
        f.pending = plan.size();
        pending.put(f.id, f);
        for (SlotPlanner.Allocation a : plan) {
            f.hostsByName.put(a.host().id().name(), a.host().id());
            bridge.tell(new PvmBridgeActor.SpawnTasks(f.id, f.payload, a.host().id().name(), a.count(), f.owner,
                    f.correlation, f.announce,
                    outcomeAdapter));
        }
        return this;
    }

    private Behavior<Command> onOutcome(Outcome o) {
        PvmBridgeActor.SpawnOutcome out = o.outcome();
        InFlight f = pending.get(out.requestId());
        if (f == null) {
            return this;
        }
        HostId host = f.hostsByName.getOrDefault(out.host(), HostId.of(-1));
        if (out.error() != null) {
            f.failures.add(new Spawned.Failure(host, out.error()));
        }
        List<TaskId> startedHere = new ArrayList<>();
        boolean system = f.request instanceof SpawnOnHost;
        SpawnSpec spec = f.request instanceof Spawn s ? s.spec() : null;
        for (SpawnResult r : out.results()) {
            if (r.started()) {
                watch(f.owner);
                if (f.correlation != null) {
                    correlations.put(r.tid(), f.correlation);
                }
                if (!system) {
                    userTasks.put(r.tid(), Instant.now());
                    publish(new MsgTaskStarted(r.taskId(), host, f.payload.functionClass(), f.correlation));
                }
                perform(table.started(r.taskId(), f.payload.functionClass(), f.sendBack, f.owner, system,
                        spec != null && spec.keepRunningWhenOwnerStops(), spec == null ? null : spec.timeLimit()));
                f.started.add(r.taskId());
                startedHere.add(r.taskId());
            } else {
                f.failures.add(new Spawned.Failure(host, r.toString()));
            }
        }
        if (!startedHere.isEmpty()) {
            monitor.tell(new HostMonitor.TasksStarted(startedHere, system));
        }
        if (f.cancelled) {
            startedHere.forEach(t -> perform(table.kill(t)));
            f.killedAfterCancel += startedHere.size();
        }
        if (--f.pending <= 0) {
            pending.remove(f.id);
            if (f.cancelled) {
                finishSpawn(f, StatusReply.error(CANCELLED + (f.started.isEmpty() ? ""
                        : "; the tasks that had started were killed: " + f.started)));
                f.killAlls.forEach(k -> k.replyTo().tell(StatusReply.success(k.killedBefore() + f.killedAfterCancel)));
            } else if (f.started.isEmpty()) {
                finishSpawn(f, StatusReply.error("no task started: " + f.failures));
            } else {
                finishSpawn(f, StatusReply.success(new Spawned(f.started, f.failures)));
            }
            perform(table.replayEarly(!pending.isEmpty()));
        }
        return this;
    }

    private static final String CANCELLED = "spawn cancelled by KillAll";

    /** A spawn refused before it was served: its reply and its owner say why. */
    private static void refuse(Spawn s, String why) {
        s.replyTo().tell(StatusReply.error(why));
        s.owner().tell(new MsgSpawnFailed(why, List.of(), 0, s.spec().correlation()));
    }

    private void finishSpawn(InFlight f, StatusReply<Spawned> reply) {
        f.replyTo.tell(reply);
        if (!(f.request instanceof SpawnOnHost)) {
            getContext().getSystem().eventStream().tell(new EventStream.Publish<>(new SpawnTiming(
                    System.nanoTime() - f.createdNanos, f.started.size(), f.failures.size())));
        }
        if (!(f.request instanceof SpawnOnHost)) {
            if (reply.isError()) {
                f.owner.tell(new MsgSpawnFailed(reply.getError().getMessage(), f.failures, 0, f.correlation));
            } else if (!reply.getValue().failures().isEmpty()) {
                f.owner.tell(new MsgSpawnFailed(reply.getValue().failures().size() + " slot(s) did not start",
                        reply.getValue().failures(), reply.getValue().tasks().size(), f.correlation));
            }
        }
        if (f == userSpawn) {
            userSpawn = null;
            serveNext();
        }
    }

    private void watch(ActorRef<TaskEvent> owner) {
        if (watched.add(owner)) {
            getContext().watchWith(owner, new OwnerStopped(owner));
        }
    }

    private boolean spawning() {
        return !pending.isEmpty();
    }

    private Behavior<Command> onResult(ResultArrived r) {
        return perform(table.resultArrived(r.result(), spawning()));
    }

    private Behavior<Command> onExited(TaskExited x) {
        return perform(table.exited(x.task(), spawning()));
    }

    /** The exit without a result says what the task printed last: the bridge keeps it. */
    private Behavior<Command> onGraceExpired(GraceExpired g) {
        getContext().ask(String.class, bridge, askTimeout, r -> new PvmBridgeActor.OutputTail(g.task(), r),
                (tail, err) -> new OutputTailRead(g.task(), tail != null ? tail : ""));
        return this;
    }

    private Behavior<Command> onHostLost(HostLost h) {
        return perform(table.hostLost(h.dtid(), h.reason()));
    }

    private Behavior<Command> onVmLost(VmLost v) {
        return perform(table.vmLost(v.reason()));
    }

    private Behavior<Command> onOwnerStopped(OwnerStopped o) {
        watched.remove(o.owner());
        List<TaskTable.Effect<ActorRef<TaskEvent>>> effects = table.ownerStopped(o.owner());
        long kills = effects.stream().filter(e -> e instanceof TaskTable.Terminate).count();
        if (kills > 0) {
            getContext().getLog().info("the owner {} stopped: killing its {} task(s)", o.owner().path(), kills);
        }
        return perform(effects);
    }

    private Behavior<Command> perform(List<TaskTable.Effect<ActorRef<TaskEvent>>> effects) {
        return perform(effects, null);
    }

    /** Performs the table's effects; {@code killReply} gets the outcome of the (first) SIGTERM. */
    private Behavior<Command> perform(List<TaskTable.Effect<ActorRef<TaskEvent>>> effects,
            ActorRef<StatusReply<Done>> killReply) {
        List<Integer> ended = new ArrayList<>(); // their correlation keys go after every effect (the exit) is done
        for (TaskTable.Effect<ActorRef<TaskEvent>> e : effects) {
            if (e instanceof TaskTable.Deliver<ActorRef<TaskEvent>> d) {
                Object key = correlations.get(d.event().taskId().tid());
                TaskEvent event = d.event();
                if (key != null && event instanceof MsgTaskExit x) {
                    event = new MsgTaskExit(x.taskId(), x.cause(), x.detail(), key);
                } else if (key != null && event instanceof MsgTaskResult r) {
                    event = r.withCorrelation(key);
                }
                d.owner().tell(event);
                if (event instanceof MsgTaskExit && userTasks.containsKey(event.taskId().tid())) {
                    publish(event);
                }
            } else if (e instanceof TaskTable.Ended<ActorRef<TaskEvent>> x) {
                ended.add(x.task().tid());
                timers.cancel(new GraceExpired(x.task()));
                timers.cancel(new KillGraceExpired(x.task()));
                timers.cancel(new TimeLimitExpired(x.task()));
                bridge.tell(new PvmBridgeActor.Forget(x.task())); // first: a send the owner makes on the exit must see it gone
                monitor.tell(new HostMonitor.TaskEnded(x.task()));
                if (x.lastOfOwner() && watched.remove(x.owner())) {
                    getContext().unwatch(x.owner());
                }
            } else if (e instanceof TaskTable.StartResultGrace<ActorRef<TaskEvent>> g) {
                timers.startSingleTimer(new GraceExpired(g.task()), new GraceExpired(g.task()), resultGrace);
            } else if (e instanceof TaskTable.StartTimeLimit<ActorRef<TaskEvent>> t) {
                timers.startSingleTimer(new TimeLimitExpired(t.task()), new TimeLimitExpired(t.task()), t.limit());
            } else if (e instanceof TaskTable.Terminate<ActorRef<TaskEvent>> t) {
                bridge.tell(new PvmBridgeActor.Kill(t.task(), killReply));
                killReply = null;
            } else if (e instanceof TaskTable.StartKillGrace<ActorRef<TaskEvent>> k) {
                timers.startSingleTimer(new KillGraceExpired(k.task()), new KillGraceExpired(k.task()), killGrace);
            } else if (e instanceof TaskTable.ForceKill<ActorRef<TaskEvent>> k) {
                getContext().getLog().warn("task {} did not end within the kill grace ({}): SIGKILL", k.task(),
                        killGrace);
                bridge.tell(new PvmBridgeActor.ForceKill(k.task()));
            }
        }
        ended.forEach(correlations::remove);
        ended.forEach(userTasks::remove);
        return this;
    }

    private Behavior<Command> onKill(Kill k) {
        if (!table.contains(k.task())) {
            k.replyTo().tell(StatusReply.error("task " + k.task() + " is not a running task of this runtime"));
            return this;
        }
        return perform(table.kill(k.task()), k.replyTo());
    }

    private Behavior<Command> onKillAll(KillAll k) {
        for (Spawn s : queue) {
            refuse(s, CANCELLED + " before it started");
        }
        queue.clear();
        List<TaskTable.Effect<ActorRef<TaskEvent>>> effects = table.killAll();
        int n = (int) effects.stream().filter(e -> e instanceof TaskTable.Terminate).count();
        perform(effects);
        if (userSpawn != null) {
            userSpawn.cancelled = true;
            if (pending.containsKey(userSpawn.id)) {
                userSpawn.killAlls.add(new PendingKillAll(k.replyTo(), n)); // replies when its tasks are known
                return this;
            }
        }
        k.replyTo().tell(StatusReply.success(n));
        return this;
    }

    private void publish(TaskEvent event) {
        taskSubscribers.forEach(s -> s.tell(event));
    }

    private Behavior<Command> onSubscribe(SubscribeTaskEvents s) {
        if (taskSubscribers.size() >= MAX_TASK_SUBSCRIBERS && !taskSubscribers.contains(s.subscriber())) {
            getContext().getLog().warn("refused task event subscriber {}: already {} subscribers", s.subscriber(),
                    MAX_TASK_SUBSCRIBERS);
        } else if (taskSubscribers.add(s.subscriber())) {
            getContext().watchWith(s.subscriber(), new TaskSubscriberGone(s.subscriber()));
        }
        return this;
    }

    private Behavior<Command> onList(ListTasks l) {
        List<TaskStatus> out = new ArrayList<>();
        for (TaskTable.Entry<ActorRef<TaskEvent>> e : table.entries()) {
            if (!e.system) {
                out.add(new TaskStatus(e.id, e.host(), e.function, e.owner.path().toString(),
                        userTasks.get(e.id.tid()), e.killCause != null ? TaskStatus.State.KILLING
                                : e.exitSeen ? TaskStatus.State.ENDING : TaskStatus.State.RUNNING));
            }
        }
        l.replyTo().tell(out);
        return this;
    }
}
