package org.pvmakka.internal.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.worker.HostSentinel;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;

/**
 * Measures each host's CPU cores and watches its liveness through a resident reporter task
 * ({@link HostSentinel}) spawned there: its first report gives the cores, the following ones are
 * heartbeats. A host whose sentinel cannot start, or stays silent past the probe timeout, is
 * reported unresponsive and probed again on a fixed interval; a host whose heartbeats stop for
 * the liveness timeout is reported lost, long before pvmd would notice a crashed host.
 */
public final class CoreCounter extends AbstractBehavior<CoreCounter.Command> {

    /** The core counter's protocol. */
    public sealed interface Command {
    }

    /** Measure and watch these hosts. */
    public record Probe(List<HostId> hosts) implements Command {
        public Probe {
            hosts = List.copyOf(hosts);
        }
    }

    /** A host left the VM: stop watching it. */
    public record Forget(int dtid) implements Command {
    }

    private record Reported(TaskEvent event) implements Command {
    }

    private record SpawnReplied(HostId host, StatusReply<Spawned> reply) implements Command {
    }

    private record TimedOut(int dtid) implements Command {
    }

    private enum Reprobe implements Command {
        INSTANCE
    }

    /** A host's heartbeats have been silent for the liveness timeout (a per-host timer, restarted by each one). */
    private record Silent(int dtid) implements Command {
    }

    /** One host's sentinel. */
    private static final class Watch {
        final HostId host;
        TaskId sentinel;
        boolean reported;

        Watch(HostId host) {
            this.host = host;
        }
    }

    public static Behavior<Command> create(ActorRef<Spawner.Command> spawner, ActorRef<HostMonitor.Command> monitor,
            Duration timeout, Duration reprobeInterval, Duration heartbeatInterval, Duration livenessTimeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Reprobe.INSTANCE, reprobeInterval);
            return new CoreCounter(ctx, timers, spawner, monitor, timeout, heartbeatInterval, livenessTimeout);
        }));
    }

    private final TimerScheduler<Command> timers;
    private final ActorRef<Spawner.Command> spawner;
    private final ActorRef<HostMonitor.Command> monitor;
    private final Duration timeout;
    private final Duration livenessTimeout;
    private final SpawnRequest sentinelRequest;
    private final ActorRef<TaskEvent> events;
    private final Map<Integer, Watch> watched = new HashMap<>();
    private final Map<Integer, Integer> sentinelHost = new HashMap<>();
    private final Map<Integer, HostId> unresponsive = new LinkedHashMap<>();

    private CoreCounter(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<Spawner.Command> spawner,
            ActorRef<HostMonitor.Command> monitor, Duration timeout, Duration heartbeatInterval, Duration livenessTimeout) {
        super(ctx);
        ctx.setLoggerName(CoreCounter.class); // not ActorCell (withTimers hides the class)
        this.timers = timers;
        this.spawner = spawner;
        this.monitor = monitor;
        this.timeout = timeout;
        this.livenessTimeout = livenessTimeout;
        // it owes a result (it never returns one): an exit of its own ends NO_RESULT, with its last output as the reason
        this.sentinelRequest = new SpawnRequest(HostSentinel.class.getName(), List.of(heartbeatInterval.toMillis()), true);
        this.events = ctx.messageAdapter(TaskEvent.class, Reported::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Probe.class, this::onProbe)
                .onMessage(Forget.class, this::onForget)
                .onMessage(SpawnReplied.class, this::onSpawnReplied)
                .onMessage(Reported.class, this::onReported)
                .onMessage(TimedOut.class, this::onTimedOut)
                .onMessageEquals(Reprobe.INSTANCE, this::onReprobe)
                .onMessage(Silent.class, this::onSilent)
                .build();
    }

    private Behavior<Command> onProbe(Probe p) {
        p.hosts().forEach(this::probe);
        return this;
    }

    private void probe(HostId h) {
        if (watched.containsKey(h.dtid())) {
            return;
        }
        watched.put(h.dtid(), new Watch(h));
        timers.startSingleTimer(new TimedOut(h.dtid()), new TimedOut(h.dtid()), timeout);
        getContext().askWithStatus(Spawned.class, spawner, timeout,
                r -> new Spawner.SpawnOnHost(sentinelRequest, h, events, r), (ok, err) -> new SpawnReplied(h,
                        err != null ? StatusReply.error(err) : StatusReply.success(ok)));
    }

    private Behavior<Command> onForget(Forget f) {
        Watch w = watched.remove(f.dtid());
        if (w != null && w.sentinel != null) {
            sentinelHost.remove(w.sentinel.tid());
        }
        unresponsive.remove(f.dtid());
        timers.cancel(new TimedOut(f.dtid()));
        timers.cancel(new Silent(f.dtid()));
        return this;
    }

    private Behavior<Command> onSpawnReplied(SpawnReplied r) {
        Watch w = watched.get(r.host().dtid());
        if (w == null) {
            return this;
        }
        if (r.reply().isSuccess() && !r.reply().getValue().tasks().isEmpty()) {
            w.sentinel = r.reply().getValue().tasks().get(0); // the same tid if its report came first
            sentinelHost.put(w.sentinel.tid(), r.host().dtid());
        } else {
            String why = r.reply().isSuccess() ? r.reply().getValue().failures().toString()
                    : r.reply().getError().getMessage();
            fail(r.host().dtid(), "the reporter task could not start: " + why);
        }
        return this;
    }

    private Behavior<Command> onReported(Reported r) {
        TaskEvent e = r.event();
        Integer dtid = sentinelHost.get(e.taskId().tid());
        if (dtid == null) {
            // the sentinel's first report can overtake its spawn's reply: its tid names its host
            Watch early = watched.get(e.taskId().hostDtid());
            if (early != null && early.sentinel == null) {
                early.sentinel = e.taskId();
                dtid = e.taskId().hostDtid();
                sentinelHost.put(e.taskId().tid(), dtid);
            }
        }
        Watch w = dtid == null ? null : watched.get(dtid);
        if (w == null || !e.taskId().equals(w.sentinel)) {
            if (e instanceof MsgTaskExit) {
                sentinelHost.remove(e.taskId().tid());
            }
            return this;
        }
        if (e instanceof TaskMessage m && m.message() instanceof HostReport rep) {
            timers.startSingleTimer(new Silent(dtid), new Silent(dtid), livenessTimeout);
            monitor.tell(new HostMonitor.Heartbeat(dtid, java.time.Instant.now()));
            if (!w.reported) {
                w.reported = true;
                timers.cancel(new TimedOut(dtid));
                unresponsive.remove(dtid);
                monitor.tell(new HostMonitor.CoresMeasured(dtid, rep.cores()));
            }
        } else if (e instanceof MsgTaskResult res && !res.success()) {
            fail(dtid, "the reporter task failed: " + res.error()); // its exit follows; the host is marked now
        } else if (e instanceof MsgTaskExit x) {
            sentinelHost.remove(e.taskId().tid());
            if (x.cause() != MsgTaskExit.Cause.HOST_LOST && x.cause() != MsgTaskExit.Cause.VM_LOST) {
                fail(dtid, "the reporter task ended (" + x.cause() + (x.detail().isEmpty() ? "" : ": " + x.detail())
                        + ")");
            } else {
                watched.remove(dtid);
            }
        }
        return this;
    }

    private Behavior<Command> onTimedOut(TimedOut t) {
        Watch w = watched.get(t.dtid());
        if (w != null && !w.reported) {
            if (w.sentinel != null) {
                spawner.tell(new Spawner.Kill(w.sentinel, getContext().getSystem().ignoreRef()));
            }
            fail(t.dtid(), "the reporter task did not answer within " + timeout.toMillis() + " ms");
        }
        return this;
    }

    private Behavior<Command> onSilent(Silent silent) {
        Watch w = watched.get(silent.dtid());
        if (w != null && w.reported) {
            watched.remove(w.host.dtid());
            sentinelHost.remove(w.sentinel.tid());
            getContext().getLog().warn("host {} is lost: no heartbeat for {} ms", w.host, livenessTimeout.toMillis());
            monitor.tell(new HostMonitor.HostSilent(w.host.dtid(), "lost: no heartbeat from its sentinel for "
                    + livenessTimeout.toMillis() + " ms"));
        }
        return this;
    }

    private void fail(int dtid, String reason) {
        Watch w = watched.remove(dtid);
        timers.cancel(new TimedOut(dtid));
        timers.cancel(new Silent(dtid));
        if (w != null) {
            if (w.sentinel != null) {
                sentinelHost.remove(w.sentinel.tid());
            }
            unresponsive.put(dtid, w.host);
            monitor.tell(new HostMonitor.ProbeFailed(dtid, reason));
        }
    }

    private Behavior<Command> onReprobe() {
        for (HostId h : List.copyOf(unresponsive.values())) {
            probe(h);
        }
        return this;
    }
}
