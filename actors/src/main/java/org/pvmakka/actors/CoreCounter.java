package org.pvmakka.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.bridge.HostId;
import org.pvmakka.bridge.TaskId;
import org.pvmakka.bridge.wire.HostReport;
import org.pvmakka.bridge.wire.MsgTaskExit;
import org.pvmakka.bridge.wire.MsgTaskResult;
import org.pvmakka.bridge.wire.SpawnRequest;
import org.pvmakka.bridge.wire.TaskEvent;
import org.pvmakka.worker.HostInfoReporter;

/**
 * Measures each host's CPU cores by spawning the reporter task ({@link HostInfoReporter}) there.
 * A host whose reporter cannot start or stays silent past the timeout is reported unresponsive;
 * unresponsive hosts are probed again on a fixed interval, so that they can come back.
 */
public final class CoreCounter extends AbstractBehavior<CoreCounter.Command> {

    /** The core counter's protocol. */
    public sealed interface Command {
    }

    /** Measure these hosts. */
    public record Probe(List<HostId> hosts) implements Command {
        public Probe {
            hosts = List.copyOf(hosts);
        }
    }

    /** A host left the VM: stop probing it. */
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

    private static final SpawnRequest REPORTER = new SpawnRequest(HostInfoReporter.class.getName(), List.of(), true);

    public static Behavior<Command> create(ActorRef<Spawner.Command> spawner, ActorRef<HostMonitor.Command> monitor,
            Duration timeout, Duration reprobeInterval) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Reprobe.INSTANCE, reprobeInterval);
            return new CoreCounter(ctx, timers, spawner, monitor, timeout);
        }));
    }

    private final TimerScheduler<Command> timers;
    private final ActorRef<Spawner.Command> spawner;
    private final ActorRef<HostMonitor.Command> monitor;
    private final Duration timeout;
    private final ActorRef<TaskEvent> events;
    private final Map<Integer, HostId> probing = new HashMap<>();
    private final Map<Integer, Integer> reporterHost = new HashMap<>();
    private final Map<Integer, HostId> unresponsive = new LinkedHashMap<>();

    private CoreCounter(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<Spawner.Command> spawner,
            ActorRef<HostMonitor.Command> monitor, Duration timeout) {
        super(ctx);
        this.timers = timers;
        this.spawner = spawner;
        this.monitor = monitor;
        this.timeout = timeout;
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
                .build();
    }

    private Behavior<Command> onProbe(Probe p) {
        for (HostId h : p.hosts()) {
            probe(h);
        }
        return this;
    }

    private void probe(HostId h) {
        if (probing.containsKey(h.dtid())) {
            return;
        }
        probing.put(h.dtid(), h);
        timers.startSingleTimer(new TimedOut(h.dtid()), new TimedOut(h.dtid()), timeout);
        getContext().askWithStatus(Spawned.class, spawner, timeout,
                r -> new Spawner.SpawnOnHost(REPORTER, h, events, r), (ok, err) -> new SpawnReplied(h,
                        err != null ? StatusReply.error(err) : StatusReply.success(ok)));
    }

    private Behavior<Command> onForget(Forget f) {
        probing.remove(f.dtid());
        unresponsive.remove(f.dtid());
        timers.cancel(new TimedOut(f.dtid()));
        return this;
    }

    private Behavior<Command> onSpawnReplied(SpawnReplied r) {
        if (!probing.containsKey(r.host().dtid())) {
            return this;
        }
        if (r.reply().isSuccess() && !r.reply().getValue().tasks().isEmpty()) {
            for (TaskId t : r.reply().getValue().tasks()) {
                reporterHost.put(t.tid(), r.host().dtid());
            }
        } else {
            String why = r.reply().isSuccess() ? r.reply().getValue().failures().toString()
                    : r.reply().getError().getMessage();
            fail(r.host().dtid(), "the reporter task could not start: " + why);
        }
        return this;
    }

    private Behavior<Command> onReported(Reported r) {
        TaskEvent e = r.event();
        // a reporter runs on the host it measures: its host is in its tid, and its result may
        // overtake the reply to its spawn (a fast reporter, or the simulator)
        int dtid = e.taskId().hostDtid();
        if (e instanceof MsgTaskResult res) {
            if (res.success() && res.value() instanceof HostReport rep && probing.remove(dtid) != null) {
                timers.cancel(new TimedOut(dtid));
                unresponsive.remove(dtid);
                monitor.tell(new HostMonitor.CoresMeasured(dtid, rep.cores()));
            } else if (!res.success()) {
                fail(dtid, "the reporter task failed: " + res.error());
            }
        } else if (e instanceof MsgTaskExit x) {
            reporterHost.remove(e.taskId().tid());
            if (probing.containsKey(dtid)) {
                fail(dtid, "the reporter task ended without an answer (" + x.cause() + " " + x.detail() + ")");
            }
        }
        return this;
    }

    private Behavior<Command> onTimedOut(TimedOut t) {
        if (probing.containsKey(t.dtid())) {
            reporterHost.forEach((tid, dtid) -> {
                if (dtid == t.dtid()) {
                    spawner.tell(new Spawner.Kill(new TaskId(tid), getContext().getSystem().ignoreRef()));
                }
            });
            fail(t.dtid(), "the reporter task did not answer within " + timeout.toMillis() + " ms");
        }
        return this;
    }

    private void fail(int dtid, String reason) {
        HostId h = probing.remove(dtid);
        timers.cancel(new TimedOut(dtid));
        if (h != null) {
            unresponsive.put(dtid, h);
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
