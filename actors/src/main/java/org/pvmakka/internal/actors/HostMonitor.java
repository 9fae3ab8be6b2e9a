package org.pvmakka.internal.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pvmakka.internal.bridge.HostInfo;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.task.TaskId;

/**
 * Keeps the host table, driven by PVM notifies: HostAdd (registered for all future hosts) and
 * HostDelete (registered for every host). It reads {@code pvm_config}/{@code pvm_tasks} at start
 * and when hosts are added, never on a timer. Core counts and responsiveness come from the
 * {@link CoreCounter}; task counts from the VM and the {@link Spawner}. Publishes
 * {@link HostEvent}s to subscribers.
 */
public final class HostMonitor extends AbstractBehavior<HostMonitor.Command> {

    /** The monitor's protocol. */
    public sealed interface Command {
    }

    /** Read the VM and start probing (sent by the guardian once the others are attached). */
    public record Start(ActorRef<Spawner.Command> spawner, ActorRef<CoreCounter.Command> coreCounter) implements Command {
    }

    /** HostAdd notify. */
    public record HostsAdded(List<Integer> dtids) implements Command {
        public HostsAdded {
            dtids = List.copyOf(dtids);
        }
    }

    /** HostDelete notify. */
    public record HostDeleted(int dtid) implements Command {
    }

    /** The pvmd is gone. */
    public record VmLost(String reason) implements Command {
    }

    /** The reporter measured a host. */
    /** A heartbeat (or the first report) of a host's sentinel came at {@code at}. */
    public record Heartbeat(int dtid, Instant at) implements Command {
    }

    public record CoresMeasured(int dtid, int cores) implements Command {
    }

    /** The reporter could not be started on a host, or stayed silent. */
    public record ProbeFailed(int dtid, String reason) implements Command {
    }

    /** The host's sentinel fell silent: the host is lost, whatever pvmd says. */
    public record HostSilent(int dtid, String reason) implements Command {
    }

    /** Tasks the spawner started; the runtime's own ({@code system}) tasks take no slot. */
    public record TasksStarted(List<TaskId> tasks, boolean system) implements Command {
        public TasksStarted {
            tasks = List.copyOf(tasks);
        }
    }

    /** A spawner task ended. */
    public record TaskEnded(TaskId task) implements Command {
    }

    /**
     * The host table; with {@code whenReady} the reply waits until every known host has been
     * probed (after a fresh attempt to read the VM if it was down).
     */
    public record GetHosts(ActorRef<HostTable> replyTo, boolean whenReady) implements Command {
        public GetHosts(ActorRef<HostTable> replyTo) {
            this(replyTo, false);
        }
    }

    /** Reply to {@link GetHosts}. */
    public record HostTable(List<HostStatus> hosts, int architectures, boolean ready, boolean vmUp,
            List<TaskInfo> vmTasks, String downReason) {
        public HostTable {
            hosts = List.copyOf(hosts);
            vmTasks = List.copyOf(vmTasks);
        }
    }

    /** Re-reads {@code pvm_config}/{@code pvm_tasks} (other programs' tasks), then replies the table. */
    public record Refresh(ActorRef<HostTable> replyTo) implements Command {
    }

    /** Replies once every host known at start has been measured or found unresponsive. */
    public record WhenReady(ActorRef<Boolean> replyTo) implements Command {
    }

    /** Publish host events to this subscriber. */
    public record Subscribe(ActorRef<HostEvent> subscriber) implements Command {
    }

    /** Stop publishing to this subscriber. */
    public record Unsubscribe(ActorRef<HostEvent> subscriber) implements Command {
    }

    private record VmRead(PvmBridgeActor.VmSnapshot snapshot, Throwable error, boolean initial) implements Command {
    }

    private static final class Host {
        HostInfo info;
        int cores = -1;
        boolean responsive;
        String problem;
        Instant lastHeartbeat;
        boolean probed;
        int otherTasks;
        final Set<Integer> ourTasks = new HashSet<>();
        final Set<Integer> systemTasks = new HashSet<>();

        Host(HostInfo info) {
            this.info = info;
        }

        HostStatus status() {
            return new HostStatus(info.id(), info.arch(), info.speed(), cores, otherTasks + ourTasks.size(), responsive,
                    responsive ? null : problem, lastHeartbeat);
        }
    }

    /** @param askTimeout how long to wait for the bridge's VM snapshot ({@code pvm-akka.internal-ask-timeout}) */
    public static Behavior<Command> create(ActorRef<PvmBridgeActor.Command> bridge, Duration askTimeout) {
        return create(bridge, askTimeout, Duration.ofSeconds(2));
    }

    /** @param reattachInterval how often the VM is read again while it is down, to attach to a pvmd that is back */
    public static Behavior<Command> create(ActorRef<PvmBridgeActor.Command> bridge, Duration askTimeout,
            Duration reattachInterval) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new HostMonitor(ctx, bridge, askTimeout,
                timers, reattachInterval)));
    }

    /** Read the VM again while it is down. */
    private enum Reattach implements Command {
        INSTANCE
    }

    private final ActorRef<PvmBridgeActor.Command> bridge;
    private final Duration askTimeout;
    private final Map<Integer, Host> hosts = new LinkedHashMap<>();
    /** Hosts declared lost by the liveness check that pvmd still lists: never touched again. */
    private final Set<Integer> lost = new HashSet<>();
    private final Set<ActorRef<HostEvent>> subscribers = new HashSet<>();
    private final List<ActorRef<Boolean>> waitingForReady = new ArrayList<>();
    private final List<ActorRef<HostTable>> tablesWhenReady = new ArrayList<>();
    private final List<ActorRef<HostTable>> tablesAfterRead = new ArrayList<>();
    private ActorRef<Spawner.Command> spawner;
    private ActorRef<CoreCounter.Command> coreCounter;
    private int architectures;
    private List<TaskInfo> vmTasks = List.of();
    private boolean started;
    private boolean vmUp;
    /** Why the VM is not up (the last failed read), or null. */
    private String downReason;
    private boolean readPending;

    private final TimerScheduler<Command> timers;
    private final Duration reattachInterval;

    private HostMonitor(ActorContext<Command> ctx, ActorRef<PvmBridgeActor.Command> bridge, Duration askTimeout,
            TimerScheduler<Command> timers, Duration reattachInterval) {
        super(ctx);
        ctx.setLoggerName(HostMonitor.class); // not ActorCell (withTimers hides the class)
        this.bridge = bridge;
        this.askTimeout = askTimeout;
        this.timers = timers;
        this.reattachInterval = reattachInterval;
    }

    private void scheduleReattach() {
        if (!timers.isTimerActive(Reattach.INSTANCE)) {
            timers.startSingleTimer(Reattach.INSTANCE, reattachInterval);
        }
    }

    private Behavior<Command> onReattach() {
        if (started && !vmUp && !readPending) {
            readVm(true);
        }
        return this;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Start.class, this::onStart)
                .onMessage(VmRead.class, this::onVmRead)
                .onMessage(HostsAdded.class, this::onHostsAdded)
                .onMessage(HostDeleted.class, this::onHostDeleted)
                .onMessage(HostSilent.class, this::onHostSilent)
                .onMessage(VmLost.class, this::onVmLost)
                .onMessage(CoresMeasured.class, this::onCores)
                .onMessage(Heartbeat.class, b -> {
                    Host h = hosts.get(b.dtid());
                    if (h != null) {
                        h.lastHeartbeat = b.at();
                    }
                    return this;
                })
                .onMessage(ProbeFailed.class, this::onProbeFailed)
                .onMessage(TasksStarted.class, this::onTasksStarted)
                .onMessage(TaskEnded.class, this::onTaskEnded)
                .onMessage(GetHosts.class, this::onGetHosts)
                .onMessage(WhenReady.class, this::onWhenReady)
                .onMessage(Refresh.class, this::onRefresh)
                .onMessageEquals(Reattach.INSTANCE, this::onReattach)
                .onMessage(Subscribe.class, s -> {
                    subscribers.add(s.subscriber());
                    return this;
                })
                .onMessage(Unsubscribe.class, s -> {
                    subscribers.remove(s.subscriber());
                    return this;
                })
                .build();
    }

    private Behavior<Command> onStart(Start s) {
        spawner = s.spawner();
        coreCounter = s.coreCounter();
        started = true;
        readVm(true);
        return this;
    }

    private void readVm(boolean initial) {
        readPending = true;
        List<Integer> skip = List.copyOf(lost);
        getContext().askWithStatus(PvmBridgeActor.VmSnapshot.class, bridge, askTimeout,
                r -> new PvmBridgeActor.ReadVm(skip, r), (snap, err) -> new VmRead(snap, err, initial));
    }

    private Behavior<Command> onVmRead(VmRead r) {
        readPending = false;
        try {
            return applyVmRead(r);
        } finally {
            HostTable t = table();
            tablesAfterRead.forEach(a -> a.tell(t));
            tablesAfterRead.clear();
        }
    }

    private Behavior<Command> applyVmRead(VmRead r) {
        if (r.error() != null) {
            if (!r.error().getMessage().equals(downReason)) {
                getContext().getLog().warn("cannot read the VM: {}", r.error().getMessage()); // once per reason
            }
            downReason = r.error().getMessage();
            vmUp = false;
            answerReady();
            scheduleReattach();
            return this;
        }
        if (!vmUp && downReason != null) {
            getContext().getLog().info("attached to the virtual machine again");
        }
        vmUp = true;
        downReason = null;
        PvmBridgeActor.VmSnapshot snap = r.snapshot();
        architectures = snap.config().architectures();
        vmTasks = snap.tasks();
        List<HostInfo> added = new ArrayList<>();
        Set<Integer> present = new HashSet<>();
        lost.retainAll(snap.config().hosts().stream().map(HostInfo::dtid).toList());
        for (HostInfo h : snap.config().hosts()) {
            if (lost.contains(h.dtid())) {
                continue;
            }
            present.add(h.dtid());
            Host known = hosts.get(h.dtid());
            if (known == null) {
                hosts.put(h.dtid(), new Host(h));
                added.add(h);
            } else {
                known.info = h;
            }
        }
        for (Host h : hosts.values()) {
            h.otherTasks = 0;
        }
        for (TaskInfo t : snap.tasks()) {
            Host h = hosts.get(t.hostDtid());
            if (h != null && t.tid() != snap.mytid() && !h.ourTasks.contains(t.tid())
                    && !h.systemTasks.contains(t.tid())) {
                h.otherTasks++;
            }
        }
        if (!added.isEmpty()) {
            bridge.tell(new PvmBridgeActor.WatchHosts(added.stream().map(HostInfo::dtid).toList()));
            if (!r.initial()) {
                for (HostInfo h : added) {
                    publish(new HostEvent.MsgHostAdd(h.id()));
                }
            }
            coreCounter.tell(new CoreCounter.Probe(added.stream().map(HostInfo::id).toList()));
        }
        for (Integer gone : new ArrayList<>(hosts.keySet())) {
            if (!present.contains(gone)) {
                removeHost(gone, "no longer in pvm_config");
            }
        }
        answerReady();
        return this;
    }

    private Behavior<Command> onHostsAdded(HostsAdded a) {
        if (started) {
            readVm(false);
        }
        return this;
    }

    private Behavior<Command> onHostDeleted(HostDeleted d) {
        if (!lost.remove(d.dtid())) {
            removeHost(d.dtid(), "deleted or failed (PVM HostDelete)");
        }
        return this;
    }

    private Behavior<Command> onHostSilent(HostSilent s) {
        if (hosts.containsKey(s.dtid())) {
            lost.add(s.dtid());
            removeHost(s.dtid(), s.reason());
        }
        return this;
    }

    private void removeHost(int dtid, String reason) {
        Host h = hosts.remove(dtid);
        if (h == null) {
            return;
        }
        getContext().getLog().warn("host {} left the VM: {}", h.info.id(), reason);
        spawner.tell(new Spawner.HostLost(dtid, reason));
        coreCounter.tell(new CoreCounter.Forget(dtid));
        publish(new HostEvent.MsgHostDelete(h.info.id(), reason));
        answerReady();
    }

    private Behavior<Command> onVmLost(VmLost v) {
        vmUp = false;
        downReason = "the runtime lost its pvmd: " + v.reason();
        for (Integer dtid : new ArrayList<>(hosts.keySet())) {
            removeHost(dtid, "the runtime lost its pvmd: " + v.reason());
        }
        started = true;
        scheduleReattach();
        return this;
    }

    private Behavior<Command> onCores(CoresMeasured c) {
        Host h = hosts.get(c.dtid());
        if (h != null) {
            boolean changed = !h.responsive || h.cores != c.cores();
            h.cores = c.cores();
            h.responsive = true;
            h.problem = null;
            h.probed = true;
            if (changed) {
                publish(new HostEvent.MsgHostResponsive(h.info.id(), true, h.cores));
            }
            answerReady();
        }
        return this;
    }

    private Behavior<Command> onProbeFailed(ProbeFailed p) {
        Host h = hosts.get(p.dtid());
        if (h != null) {
            boolean changed = h.responsive || !h.probed;
            h.responsive = false;
            h.problem = p.reason();
            h.probed = true;
            if (changed) {
                getContext().getLog().warn("host {} is unresponsive: {}", h.info.id(), p.reason());
                publish(new HostEvent.MsgHostResponsive(h.info.id(), false, h.cores, p.reason()));
            } else {
                getContext().getLog().debug("host {} is still unresponsive: {}", h.info.id(), p.reason());
            }
            answerReady();
        }
        return this;
    }

    private Behavior<Command> onTasksStarted(TasksStarted t) {
        for (TaskId id : t.tasks()) {
            Host h = hosts.get(id.hostDtid());
            if (h != null) {
                (t.system() ? h.systemTasks : h.ourTasks).add(id.tid());
            }
        }
        return this;
    }

    private Behavior<Command> onTaskEnded(TaskEnded t) {
        Host h = hosts.get(t.task().hostDtid());
        if (h != null) {
            h.ourTasks.remove(t.task().tid());
            h.systemTasks.remove(t.task().tid());
        }
        return this;
    }

    private boolean ready() {
        return started && !readPending && (!vmUp || hosts.values().stream().allMatch(h -> h.probed));
    }

    private Behavior<Command> onGetHosts(GetHosts g) {
        if (g.whenReady() && !(ready() && vmUp)) {
            tablesWhenReady.add(g.replyTo());
            retryIfDown();
        } else {
            g.replyTo().tell(table());
        }
        return this;
    }

    private Behavior<Command> onRefresh(Refresh r) {
        tablesAfterRead.add(r.replyTo());
        if (!readPending) {
            readVm(!vmUp);
        }
        return this;
    }

    private void retryIfDown() {
        if (started && !readPending && !vmUp) {
            readVm(true);
        }
    }

    private HostTable table() {
        return new HostTable(hosts.values().stream().map(Host::status).toList(), architectures, ready(), vmUp,
                vmTasks, downReason);
    }

    private Behavior<Command> onWhenReady(WhenReady w) {
        if (ready() && vmUp) {
            w.replyTo().tell(true);
        } else {
            waitingForReady.add(w.replyTo());
            retryIfDown();
        }
        return this;
    }

    private void answerReady() {
        if (!ready()) {
            return;
        }
        waitingForReady.forEach(r -> r.tell(vmUp));
        waitingForReady.clear();
        HostTable t = table();
        tablesWhenReady.forEach(r -> r.tell(t));
        tablesWhenReady.clear();
    }

    private void publish(HostEvent e) {
        for (ActorRef<HostEvent> s : subscribers) {
            s.tell(e);
        }
    }
}
