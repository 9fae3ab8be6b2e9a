package org.pvmakka.internal.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.pvmakka.internal.pool.PoolRegistry;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskStarted;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.RuntimeCounters;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolStatus;

/**
 * Keeps the latest status snapshot of one runtime, read only through its public protocol ({@code GetStatus},
 * {@code GetCounters}, {@code SubscribeHostEvents}, {@code SubscribeTaskEvents}), with a bounded time line of recent
 * events, and pushes every changed snapshot to its server-sent event sinks (at most {@link #MAX_SINKS}). It
 * queries the runtime every {@link #REFRESH} and soon after each event, one query at a time. The runtime's pools
 * come from the Receptionist ({@link PoolRegistry}); each shown pool is asked for its {@code PoolStatus} at each
 * refresh, one ask at a time per pool, and one that does not answer within {@link #POOL_ASK} is shown as not
 * answering.
 */
final class StatusFeed extends AbstractBehavior<StatusFeed.Command> {

    /** The feed's protocol. */
    sealed interface Command {
    }

    /** The latest snapshot, as JSON. */
    record Get(ActorRef<String> replyTo) implements Command {
    }

    /** Push every changed snapshot to {@code sink} (the current one at once) until it stops. */
    record AddSink(ActorRef<String> sink) implements Command {
    }

    private record SinkGone(ActorRef<String> sink) implements Command {
    }

    private record Host(HostEvent event) implements Command {
    }

    private record Task(TaskEvent event) implements Command {
    }

    private record Timing(SpawnTiming timing) implements Command {
    }

    private record StatusRead(VmStatus status, Throwable error) implements Command {
    }

    private record CountersRead(RuntimeCounters counters, Throwable error) implements Command {
    }

    private record Pools(Receptionist.Listing listing) implements Command {
    }

    private record PoolRead(ActorRef<PoolCommand> pool, PoolStatus status, Throwable error) implements Command {
    }

    private enum Refresh implements Command {
        PERIODIC, SOON
    }

    /** Time line length. */
    static final int MAX_EVENTS = 200;
    /** Server-sent event streams served at once. */
    static final int MAX_SINKS = 32;
    /** What a sink is sent to make it complete (never a snapshot: those are JSON objects). */
    static final String END = "";
    static final Duration REFRESH = Duration.ofSeconds(2);
    private static final Duration SOON = Duration.ofMillis(100);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    static final Duration POOL_ASK = Duration.ofSeconds(1);

    static Behavior<Command> create(ActorRef<PvmCommand> runtime, StatusMetrics metrics) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new StatusFeed(ctx, timers, runtime, metrics)));
    }

    private final TimerScheduler<Command> timers;
    private final ActorRef<PvmCommand> runtime;
    private final StatusMetrics metrics;
    private final ArrayDeque<StatusJson.Event> events = new ArrayDeque<>();
    private final Set<ActorRef<String>> sinks = new HashSet<>();
    private final ServiceKey<PoolCommand> poolKey;
    private final PoolTracker pools = new PoolTracker();
    private VmStatus status;
    private String error = "no status read yet";
    private RuntimeCounters counters;
    private ObjectNode content;
    private String json;
    private boolean querying;
    private boolean again;

    private StatusFeed(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<PvmCommand> runtime,
            StatusMetrics metrics) {
        super(ctx);
        this.timers = timers;
        this.runtime = runtime;
        this.metrics = metrics;
        this.poolKey = PoolRegistry.key(runtime);
        ctx.getSystem().receptionist().tell(Receptionist.subscribe(poolKey,
                ctx.messageAdapter(Receptionist.Listing.class, Pools::new)));
        runtime.tell(new PvmCommand.SubscribeHostEvents(ctx.messageAdapter(HostEvent.class, Host::new)));
        runtime.tell(new PvmCommand.SubscribeTaskEvents(ctx.messageAdapter(TaskEvent.class, Task::new)));
        ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(SpawnTiming.class,
                ctx.messageAdapter(SpawnTiming.class, Timing::new)));
        timers.startTimerWithFixedDelay(Refresh.PERIODIC, REFRESH);
        publish();
        query();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Get.class, g -> {
                    g.replyTo().tell(StatusJson.stamped(content, Instant.now()));
                    return this;
                })
                .onMessage(AddSink.class, this::onAddSink)
                .onMessage(SinkGone.class, g -> {
                    sinks.remove(g.sink());
                    return this;
                })
                .onMessage(Host.class, h -> {
                    onHostEvent(h.event());
                    return this;
                })
                .onMessage(Task.class, t -> {
                    onTaskEvent(t.event());
                    return this;
                })
                .onMessage(Timing.class, t -> {
                    metrics.spawned(t.timing());
                    return this;
                })
                .onMessageEquals(Refresh.PERIODIC, () -> {
                    query();
                    askPools();
                    return this;
                })
                .onMessageEquals(Refresh.SOON, () -> {
                    query();
                    return this;
                })
                .onMessage(Pools.class, this::onPools)
                .onMessage(PoolRead.class, this::onPoolRead)
                .onMessage(StatusRead.class, this::onStatus)
                .onMessage(CountersRead.class, this::onCounters)
                .build();
    }

    private Behavior<Command> onAddSink(AddSink a) {
        if (sinks.size() >= MAX_SINKS) {
            a.sink().tell(END);
            return this;
        }
        if (sinks.add(a.sink())) {
            getContext().watchWith(a.sink(), new SinkGone(a.sink()));
            a.sink().tell(json);
        }
        return this;
    }

    private void onHostEvent(HostEvent e) {
        if (e instanceof HostEvent.MsgHostAdd a) {
            event("host-added", a.host().name() + " (" + Integer.toHexString(a.host().dtid()) + ")", null, null,
                    "");
        } else if (e instanceof HostEvent.MsgHostDelete d) {
            event("host-lost", d.host().name() + " (" + Integer.toHexString(d.host().dtid()) + ")", null, null,
                    d.reason());
        } else if (e instanceof HostEvent.MsgHostResponsive r) {
            event(r.responsive() ? "host-responsive" : "host-unresponsive", r.host().name() + " ("
                    + Integer.toHexString(r.host().dtid()) + ")", null, null, r.responsive() ? r.cores()
                    + " core(s)" : r.problem());
        }
        soon();
    }

    private void onTaskEvent(TaskEvent e) {
        if (e instanceof MsgTaskStarted s) {
            metrics.started();
            event("task-started", Integer.toHexString(s.host().dtid()), s.taskId().toString(), null, s.function());
        } else if (e instanceof MsgTaskExit x) {
            metrics.exited(x.cause());
            event("task-exited", Integer.toHexString(x.taskId().hostDtid()), x.taskId().toString(),
                    x.cause().name(), x.detail());
        } else {
            return;
        }
        soon();
    }

    private void event(String kind, String host, String task, String cause, String detail) {
        events.addLast(new StatusJson.Event(Instant.now(), kind, host, task, cause, detail == null ? "" : detail));
        while (events.size() > MAX_EVENTS) {
            events.removeFirst();
        }
    }

    private void soon() {
        if (!timers.isTimerActive(Refresh.SOON)) {
            timers.startSingleTimer(Refresh.SOON, SOON);
        }
    }

    private void query() {
        if (querying) {
            again = true;
            return;
        }
        querying = true;
        getContext().askWithStatus(VmStatus.class, runtime, QUERY_TIMEOUT, PvmCommand.GetStatus::new,
                StatusRead::new);
    }

    private Behavior<Command> onStatus(StatusRead r) {
        if (r.error() != null) {
            error = r.error().getMessage();
        } else {
            status = r.status();
            error = null;
        }
        metrics.status(r.status(), r.error() == null);
        getContext().askWithStatus(RuntimeCounters.class, runtime, QUERY_TIMEOUT, PvmCommand.GetCounters::new,
                CountersRead::new);
        return this;
    }

    private Behavior<Command> onCounters(CountersRead r) {
        if (r.counters() != null) {
            counters = r.counters();
            metrics.counters(counters);
        }
        querying = false;
        publish();
        if (again) {
            again = false;
            query();
        }
        return this;
    }

    private Behavior<Command> onPools(Pools p) {
        if (p.listing().isForKey(poolKey)) {
            pools.listed(p.listing().getServiceInstances(poolKey));
            metrics.pools(pools.rows());
            publish();
            askPools();
        }
        return this;
    }

    /** Asks every shown pool that is not being asked already for its status. */
    private void askPools() {
        for (ActorRef<PoolCommand> pool : pools.toAsk()) {
            getContext().ask(PoolStatus.class, pool, POOL_ASK, PoolCommand.GetStatus::new,
                    (s, e) -> new PoolRead(pool, s, e));
        }
    }

    private Behavior<Command> onPoolRead(PoolRead r) {
        if (r.status() != null) {
            pools.read(r.pool(), r.status(), System.nanoTime());
        } else {
            pools.failed(r.pool(), "no answer within " + POOL_ASK.toMillis() + " ms"
                    + (r.error() instanceof java.util.concurrent.TimeoutException ? "" : ": " + r.error()));
        }
        if (!pools.anyAsking()) {
            metrics.pools(pools.rows());
            publish();
        }
        return this;
    }

    /** Rebuilds the snapshot; pushes it to the sinks when it changed. */
    private void publish() {
        ObjectNode c = StatusJson.content(status, error, counters, events, pools.rows(), pools.notShown());
        if (c.equals(content)) {
            return;
        }
        content = c;
        json = StatusJson.stamped(c, Instant.now());
        sinks.forEach(s -> s.tell(json));
    }
}
