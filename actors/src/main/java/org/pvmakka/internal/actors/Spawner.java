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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.http.SpawnTiming;
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
 * Spawns task functions and owns the table of every task the runtime spawned. Spawns are served
 * one at a time: the host table is read from the {@link HostMonitor}, the {@link SlotPlanner}
 * decides where tasks go, the {@link PvmBridgeActor} starts them. Each task's owner gets its
 * result (when asked for) and then exactly one {@link MsgTaskExit}, also when the worker dies
 * without a result, is killed, or its host fails; late and duplicate results are dropped.
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

    /** Kill every task this runtime spawned for its users (not its sentinels); replies with how many. */
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

    private static final class Entry {
        final TaskId id;
        final int host;
        final String function;
        final boolean sendBack;
        final ActorRef<TaskEvent> owner;
        final Object correlation;
        final boolean system;
        boolean resultDelivered;
        boolean killed;
        boolean exitSeen;
        final Instant started = Instant.now();

        Entry(TaskId id, int host, String function, boolean sendBack, ActorRef<TaskEvent> owner, Object correlation,
                boolean system) {
            this.correlation = correlation;
            this.system = system;
            this.id = id;
            this.host = host;
            this.function = function;
            this.sendBack = sendBack;
            this.owner = owner;
        }
    }

    /** The spawn being served: waits for one outcome per allocation. */
    private static final class InFlight {
        final long id;
        final Command request;
        final SpawnRequest payload;
        final boolean sendBack;
        final ActorRef<TaskEvent> owner;
        final Object correlation;
        final ActorRef<StatusReply<Spawned>> replyTo;
        final Map<String, HostId> hostsByName = new HashMap<>();
        int pending;
        final long createdNanos = System.nanoTime();
        final List<TaskId> started = new ArrayList<>();
        final List<Spawned.Failure> failures = new ArrayList<>();

        InFlight(long id, Command request, SpawnRequest payload, boolean sendBack, ActorRef<TaskEvent> owner,
                Object correlation, ActorRef<StatusReply<Spawned>> replyTo) {
            this.id = id;
            this.correlation = correlation;
            this.request = request;
            this.payload = payload;
            this.sendBack = sendBack;
            this.owner = owner;
            this.replyTo = replyTo;
        }
    }

    public static Behavior<Command> create(ActorRef<PvmBridgeActor.Command> bridge,
            ActorRef<HostMonitor.Command> monitor, WireCodec codec, Duration resultGrace, int maxTasksPerSpawn,
            Duration askTimeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Spawner(ctx, timers, bridge, monitor, codec,
                resultGrace, maxTasksPerSpawn, askTimeout)));
    }

    private final TimerScheduler<Command> timers;
    private final ActorRef<PvmBridgeActor.Command> bridge;
    private final ActorRef<HostMonitor.Command> monitor;
    private final Duration resultGrace;
    /** How long a spawn waits for the host table ({@code pvm-akka.internal-ask-timeout}). */
    private final Duration askTimeout;
    private final WireCodec codec;
    private final int maxTasksPerSpawn;
    private final ActorRef<PvmBridgeActor.SpawnOutcome> outcomeAdapter;
    private final Map<Integer, Entry> tasks = new LinkedHashMap<>();
    private final Queue<Spawn> queue = new ArrayDeque<>();
    private final Set<Integer> earlyExits = new HashSet<>();
    private final Map<Integer, MsgTaskResult> earlyResults = new HashMap<>();
    /** The user spawn being served (user spawns go one at a time: they share the free slots). */
    private InFlight userSpawn;
    /** Every spawn waiting for outcomes from the bridge, by request ID (system spawns run alongside). */
    private final Map<Long, InFlight> pending = new HashMap<>();
    private long nextId;
    private long droppedResults;
    /** At most {@link #MAX_TASK_SUBSCRIBERS}: {@link SubscribeTaskEvents}. */
    private final Set<ActorRef<TaskEvent>> taskSubscribers = new HashSet<>();
    static final int MAX_TASK_SUBSCRIBERS = 64;

    private Spawner(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<PvmBridgeActor.Command> bridge,
            ActorRef<HostMonitor.Command> monitor, WireCodec codec, Duration resultGrace, int maxTasksPerSpawn,
            Duration askTimeout) {
        super(ctx);
        this.askTimeout = askTimeout;
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
        InFlight f = new InFlight(nextId++, s, s.request(), s.request().sendBack(), s.owner(), null, s.replyTo());
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
            SpawnRequest request = new SpawnRequest(s.spec().functionClass(), s.spec().args(), s.spec().sendBack());
            try {
                codec.encode(request); // an unregistered argument fails here, before anything starts
            } catch (WireException e) {
                refuse(s, e.getMessage());
                continue;
            }
            userSpawn = new InFlight(nextId++, s, request, s.spec().sendBack(), s.owner(), s.spec().correlation(),
                    s.replyTo());
            getContext().ask(HostMonitor.HostTable.class, monitor, askTimeout,
                    r -> new HostMonitor.GetHosts(r, true), HostsRead::new);
        }
    }

    private Behavior<Command> onHostsRead(HostsRead r) {
        InFlight f = userSpawn;
        Spawn s = (Spawn) f.request;
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
                    f.correlation, ((Spawn) f.request).spec().announce(), outcomeAdapter));
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
        for (SpawnResult r : out.results()) {
            if (r.started()) {
                Entry e = new Entry(r.taskId(), r.taskId().hostDtid(), f.payload.functionClass(), f.sendBack, f.owner,
                        f.correlation, f.request instanceof SpawnOnHost);
                tasks.put(r.tid(), e);
                f.started.add(r.taskId());
                startedHere.add(r.taskId());
                if (!e.system) {
                    publish(new MsgTaskStarted(r.taskId(), host, e.function, e.correlation));
                }
            } else {
                f.failures.add(new Spawned.Failure(host, r.toString()));
            }
        }
        if (!startedHere.isEmpty()) {
            monitor.tell(new HostMonitor.TasksStarted(startedHere, f.request instanceof SpawnOnHost));
        }
        if (--f.pending <= 0) {
            pending.remove(f.id);
            if (f.started.isEmpty()) {
                finishSpawn(f, StatusReply.error("no task started: " + f.failures));
            } else {
                finishSpawn(f, StatusReply.success(new Spawned(f.started, f.failures)));
            }
            replayEarly();
        }
        return this;
    }

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

    /** Results and exits that overtook their spawn's outcome; others are dropped. */
    private void replayEarly() {
        Map<Integer, MsgTaskResult> results = new HashMap<>(earlyResults);
        Set<Integer> exits = new HashSet<>(earlyExits);
        earlyResults.clear();
        earlyExits.clear();
        results.values().forEach(r -> onResult(new ResultArrived(r)));
        exits.forEach(t -> onExited(new TaskExited(new TaskId(t))));
    }

    private boolean spawning(TaskId t) {
        return !pending.isEmpty() && t.isValid();
    }

    private Behavior<Command> onResult(ResultArrived r) {
        TaskId t = r.result().taskId();
        Entry e = tasks.get(t.tid());
        if (e == null) {
            if (spawning(t)) {
                earlyResults.putIfAbsent(t.tid(), r.result());
            } else {
                droppedResults++;
                getContext().getLog().debug("dropped a result from {}: the task already ended", t);
            }
            return this;
        }
        if (e.resultDelivered || !e.sendBack) {
            droppedResults++;
            getContext().getLog().warn("dropped a {} result from {}", e.resultDelivered ? "duplicate" : "unrequested", t);
            return this;
        }
        e.resultDelivered = true;
        e.owner.tell(r.result().withCorrelation(e.correlation));
        if (e.exitSeen) {
            finish(e, e.killed ? MsgTaskExit.Cause.KILLED : MsgTaskExit.Cause.EXITED, "");
        }
        return this;
    }

    private Behavior<Command> onExited(TaskExited x) {
        Entry e = tasks.get(x.task().tid());
        if (e == null) {
            if (spawning(x.task())) {
                earlyExits.add(x.task().tid());
            }
            return this;
        }
        e.exitSeen = true;
        if (e.sendBack && !e.resultDelivered && !e.killed) {
            timers.startSingleTimer(new GraceExpired(e.id), new GraceExpired(e.id), resultGrace);
        } else {
            finish(e, e.killed ? MsgTaskExit.Cause.KILLED : MsgTaskExit.Cause.EXITED, "");
        }
        return this;
    }

    private Behavior<Command> onGraceExpired(GraceExpired g) {
        Entry e = tasks.get(g.task().tid());
        if (e != null) {
            finish(e, MsgTaskExit.Cause.NO_RESULT, "the worker ended without sending its result");
        }
        return this;
    }

    private Behavior<Command> onHostLost(HostLost h) {
        for (Entry e : new ArrayList<>(tasks.values())) {
            if (e.host == h.dtid()) {
                finish(e, MsgTaskExit.Cause.HOST_LOST, "host " + Integer.toHexString(h.dtid()) + " left the VM: "
                        + h.reason());
            }
        }
        return this;
    }

    private Behavior<Command> onVmLost(VmLost v) {
        for (Entry e : new ArrayList<>(tasks.values())) {
            finish(e, MsgTaskExit.Cause.VM_LOST, v.reason());
        }
        return this;
    }

    private void finish(Entry e, MsgTaskExit.Cause cause, String detail) {
        tasks.remove(e.id.tid());
        timers.cancel(new GraceExpired(e.id));
        bridge.tell(new PvmBridgeActor.Forget(e.id)); // first: a send the owner makes on the exit must see it gone
        monitor.tell(new HostMonitor.TaskEnded(e.id));
        e.owner.tell(new MsgTaskExit(e.id, cause, detail, e.correlation));
        if (!e.system) {
            publish(new MsgTaskExit(e.id, cause, detail, e.correlation));
        }
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

    private Behavior<Command> onKill(Kill k) {
        Entry e = tasks.get(k.task().tid());
        if (e == null) {
            k.replyTo().tell(StatusReply.error("task " + k.task() + " is not a running task of this runtime"));
            return this;
        }
        e.killed = true;
        bridge.tell(new PvmBridgeActor.Kill(k.task(), k.replyTo()));
        return this;
    }

    private Behavior<Command> onKillAll(KillAll k) {
        int n = 0;
        for (Entry e : tasks.values()) {
            if (!e.killed && !e.system) {
                e.killed = true;
                bridge.tell(new PvmBridgeActor.Kill(e.id, null));
                n++;
            }
        }
        k.replyTo().tell(StatusReply.success(n));
        return this;
    }

    private Behavior<Command> onList(ListTasks l) {
        List<TaskStatus> out = new ArrayList<>();
        for (Entry e : tasks.values()) {
            if (!e.system) {
                out.add(new TaskStatus(e.id, e.host, e.function, e.owner.path().toString(), e.started,
                        e.killed ? TaskStatus.State.KILLING : e.exitSeen ? TaskStatus.State.ENDING
                                : TaskStatus.State.RUNNING));
            }
        }
        l.replyTo().tell(out);
        return this;
    }
}
