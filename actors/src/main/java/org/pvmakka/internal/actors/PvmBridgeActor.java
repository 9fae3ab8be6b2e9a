package org.pvmakka.internal.actors;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pvmakka.internal.bridge.HostResult;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.InboundWatcher;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.PvmFactory;
import org.pvmakka.internal.bridge.PvmOption;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.bridge.VmConfig;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.internal.worker.FunctionLauncher;
import org.pvmakka.javadsl.MsgTaskOutput;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskId;
import org.pvmakka.task.WireException;

/**
 * Owns the {@link Pvm} and makes every PVM call, on its own pinned dispatcher thread. The
 * {@link Pvm}'s {@link InboundWatcher} tells it to drain (for libpvm: a helper thread waiting in
 * {@code poll()} on its sockets); it drains after every call too. Inbound traffic is decoded and routed by tag: results and task exits to the
 * {@link Spawner}, host notifies to the {@link HostMonitor}, user messages to the owner of the
 * sending task and to subscribers; anything else is dropped and counted. PVM errors are replied
 * per command; the actor keeps serving.
 */
public final class PvmBridgeActor extends AbstractBehavior<PvmBridgeActor.Command> {

    /** The bridge's protocol. */
    public sealed interface Command {
    }

    /** Where inbound runtime traffic goes; sent once by the guardian before anything else. */
    public record Attach(ActorRef<Spawner.Command> spawner, ActorRef<HostMonitor.Command> monitor) implements Command {
    }

    /** Spawn {@code count} workers on a host (by name; null = PVM's choice). */
    public record SpawnTasks(long requestId, SpawnRequest request, String host, int count, ActorRef<TaskEvent> owner,
            ActorRef<SpawnOutcome> replyTo) implements Command {
    }

    /** Reply to {@link SpawnTasks}: one result per slot, or the error of the whole call. */
    public record SpawnOutcome(long requestId, String host, List<SpawnResult> results, String error) {
        public SpawnOutcome {
            results = List.copyOf(results);
        }
    }

    /** Send a registered object to a task. */
    public record Send(TaskId to, Object message, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Kill a task. */
    public record Kill(TaskId task, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Kill a task that ignored its kill: SIGKILL ({@code pvm_sendsig}); a task already gone is no error. */
    public record ForceKill(TaskId task) implements Command {
    }

    /**
     * Read {@code pvm_config} and, host by host, {@code pvm_tasks}; hosts in {@code skipTasksOf}
     * (declared lost) are not asked, since a request to a crashed host blocks until pvmd notices.
     */
    public record ReadVm(List<Integer> skipTasksOf, ActorRef<StatusReply<VmSnapshot>> replyTo) implements Command {
        public ReadVm {
            skipTasksOf = List.copyOf(skipTasksOf);
        }
    }

    /** Stop the virtual machine ({@code pvm_halt}). */
    public record Halt(ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Add hosts to the VM ({@code pvm_addhosts}); one result per host. */
    public record AddHosts(List<String> hosts, ActorRef<StatusReply<List<HostResult>>> replyTo) implements Command {
        public AddHosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** Delete hosts from the VM ({@code pvm_delhosts}); one result per host. */
    public record DeleteHosts(List<String> hosts, ActorRef<StatusReply<List<HostResult>>> replyTo) implements Command {
        public DeleteHosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** The VM's host table and tasks, and this process's tid. */
    public record VmSnapshot(VmConfig config, List<TaskInfo> tasks, int mytid) {
        public VmSnapshot {
            tasks = List.copyOf(tasks);
        }
    }

    /** Ask for HostDelete notifies of these hosts. */
    public record WatchHosts(List<Integer> dtids) implements Command {
        public WatchHosts {
            dtids = List.copyOf(dtids);
        }
    }

    /** Whether the VM answers ({@code pvm_mytid}); enrolls if needed. */
    public record Alive(ActorRef<Boolean> replyTo) implements Command {
    }

    /** The spawner is done with a task: stop routing its messages. */
    public record Forget(TaskId task) implements Command {
    }

    /** Receive every user message too (in addition to the owner of the sending task). */
    public record SubscribeMessages(ActorRef<TaskMessage> subscriber) implements Command {
    }

    /** Counters of what was dropped. */
    public record GetCounters(ActorRef<Counters> replyTo) implements Command {
    }

    /** What the bridge dropped, by reason. */
    public record Counters(long dropped, long routed, Map<String, Long> droppedByReason) {
        public Counters {
            droppedByReason = Map.copyOf(droppedByReason);
        }
    }

    private enum Drain implements Command {
        INSTANCE
    }

    /** Sends the coalesced user messages (told to itself behind the Sends already in the mailbox). */
    private enum Flush implements Command {
        INSTANCE
    }

    /**
     * Creates the bridge; spawn it with {@code DispatcherSelector.fromConfig(PvmSettings.BRIDGE_DISPATCHER)}.
     *
     * @param pvms opens the {@link Pvm} on the bridge's own thread
     */
    public static Behavior<Command> create(PvmSettings settings, WireCodec codec, PvmFactory pvms) {
        return Behaviors.setup(ctx -> new PvmBridgeActor(ctx, settings, codec, pvms));
    }

    private final PvmSettings settings;
    private final WireCodec codec;
    private final Pvm pvm;
    private final FunctionLauncher launcher;
    private final InboundWatcher watcher;
    private final SendCoalescer outgoing;
    private boolean flushScheduled;
    private final Map<Integer, ActorRef<TaskEvent>> owners = new HashMap<>();
    /** Tasks whose TaskExit notify arrived but that the spawner has not forgotten yet. */
    private final Set<Integer> exited = new HashSet<>();
    private final Set<ActorRef<TaskMessage>> messageSubscribers = new HashSet<>();
    private final Map<String, Long> droppedByReason = new HashMap<>();
    private final Set<String> loggedReasons = new HashSet<>();
    private ActorRef<Spawner.Command> spawner;
    private ActorRef<HostMonitor.Command> monitor;
    private boolean up;
    private boolean vmLost;
    private long dropped;
    private long routed;

    private PvmBridgeActor(ActorContext<Command> ctx, PvmSettings settings, WireCodec codec, PvmFactory pvms) {
        super(ctx);
        this.settings = settings;
        this.codec = codec;
        this.pvm = pvms.open();
        this.launcher = new FunctionLauncher(pvm, codec, settings.wire, settings.worker);
        ActorRef<Command> self = ctx.getSelf();
        this.watcher = pvm.watchInbound(() -> self.tell(Drain.INSTANCE));
        this.outgoing = new SendCoalescer(pvm::send);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Attach.class, this::onAttach)
                .onMessage(SpawnTasks.class, this::onSpawn)
                .onMessage(Send.class, this::onSend)
                .onMessage(Kill.class, this::onKill)
                .onMessage(ForceKill.class, this::onForceKill)
                .onMessage(ReadVm.class, this::onReadVm)
                .onMessage(WatchHosts.class, this::onWatchHosts)
                .onMessage(Halt.class, this::onHalt)
                .onMessage(AddHosts.class, a -> onHosts(a.hosts(), true, a.replyTo()))
                .onMessage(DeleteHosts.class, d -> onHosts(d.hosts(), false, d.replyTo()))
                .onMessage(Alive.class, this::onAlive)
                .onMessage(Forget.class, this::onForget)
                .onMessage(SubscribeMessages.class, this::onSubscribe)
                .onMessage(GetCounters.class, this::onGetCounters)
                .onMessageEquals(Drain.INSTANCE, this::onDrain)
                .onMessageEquals(Flush.INSTANCE, this::onFlush)
                .onSignal(PostStop.class, s -> onStop())
                .build();
    }

    private Behavior<Command> onAttach(Attach a) {
        spawner = a.spawner();
        monitor = a.monitor();
        return this;
    }

    /** Enrolls when not yet enrolled; then the VM counts as up until it is lost. */
    private void ensureUp() {
        if (up) {
            return;
        }
        if (vmLost) {
            pvm.exit(); // a new pvmd may run now: leave the dead one, enroll afresh
            vmLost = false;
        }
        pvm.mytid();
        pvm.setOption(PvmOption.ROUTE, settings.route);
        if (settings.debug > 1) {
            pvm.setOption(PvmOption.OUTPUT_TID, pvm.mytid());
            pvm.setOption(PvmOption.OUTPUT_CODE, WireTags.OUTPUT);
        }
        pvm.notify(NotifyKind.HOST_ADD, WireTags.HOST_ADD, null);
        up = true;
        getContext().getLog().info("enrolled in PVM as {}", new TaskId(pvm.mytid()));
    }

    private Behavior<Command> onSpawn(SpawnTasks s) {
        flushQueued();
        try {
            ensureUp();
            List<SpawnResult> results = launcher.spawn(s.request(), s.host() == null ? 0 : 1, s.host(), s.count());
            for (SpawnResult r : results) {
                if (r.started()) {
                    owners.put(r.tid(), s.owner());
                }
            }
            s.replyTo().tell(new SpawnOutcome(s.requestId(), s.host(), results, null));
        } catch (PvmException | WireException | IllegalArgumentException e) {
            s.replyTo().tell(new SpawnOutcome(s.requestId(), s.host(), List.of(), e.getMessage()));
        }
        afterCall();
        return this;
    }

    private Behavior<Command> onSend(Send s) {
        boolean called = true;
        try {
            if (s.to() == null || !s.to().isValid()) {
                throw new IllegalArgumentException("cannot send to invalid task ID " + s.to());
            }
            byte[] bytes = codec.encode(s.message());
            boolean wasUp = up;
            ensureUp();
            if (exited.contains(s.to().tid())) {
                throw noSuchTask(s.to());
            }
            if (owners.containsKey(s.to().tid())) {
                // our own worker: coalesced with the messages that follow in the mailbox (see onFlush)
                called = outgoing.add(s.to().tid(), bytes, s.replyTo()) || !wasUp;
            } else {
                if (pvm.taskStatus(s.to().tid()) == PvmError.NO_TASK) {
                    throw noSuchTask(s.to());
                }
                pvm.send(s.to().tid(), WireTags.USER, bytes);
                reply(s.replyTo(), StatusReply.ack());
            }
        } catch (PvmException | WireException | IllegalArgumentException e) {
            reply(s.replyTo(), StatusReply.error(e.getMessage()));
        }
        if (!outgoing.isEmpty() && !flushScheduled) {
            flushScheduled = true;
            getContext().getSelf().tell(Flush.INSTANCE);
        }
        if (called) {
            afterCall();
        }
        return this;
    }

    private static PvmException noSuchTask(TaskId t) {
        return new PvmException("send to " + t, PvmError.NO_TASK.code(), "task " + t + " does not exist");
    }

    private Behavior<Command> onFlush() {
        flushScheduled = false;
        if (outgoing.flush()) {
            afterCall();
        }
        return this;
    }

    /** Before any other PVM call: what was queued goes first, so PVM sees every call in mailbox order. */
    private void flushQueued() {
        if (!outgoing.isEmpty()) {
            outgoing.flush();
        }
    }

    private static <T> void reply(ActorRef<StatusReply<T>> to, StatusReply<T> r) {
        if (to != null) {
            to.tell(r);
        }
    }

    private Behavior<Command> onKill(Kill k) {
        flushQueued();
        try {
            ensureUp();
            pvm.kill(k.task().tid());
            reply(k.replyTo(), StatusReply.ack());
        } catch (PvmException e) {
            reply(k.replyTo(), StatusReply.error(e.getMessage()));
        }
        afterCall();
        return this;
    }

    private Behavior<Command> onForceKill(ForceKill k) {
        flushQueued();
        try {
            ensureUp();
            pvm.sendSignal(k.task().tid(), Pvm.SIGKILL);
        } catch (PvmException e) {
            getContext().getLog().debug("SIGKILL to {}: {}", k.task(), e.getMessage());
        }
        afterCall();
        return this;
    }

    private Behavior<Command> onReadVm(ReadVm r) {
        flushQueued();
        try {
            ensureUp();
            VmConfig config = pvm.config();
            List<TaskInfo> tasks = new ArrayList<>();
            for (var h : config.hosts()) {
                if (!r.skipTasksOf().contains(h.dtid())) {
                    tasks.addAll(pvm.tasks(h.dtid()));
                }
            }
            r.replyTo().tell(StatusReply.success(new VmSnapshot(config, tasks, pvm.mytid())));
        } catch (PvmException e) {
            r.replyTo().tell(StatusReply.error(e.getMessage()));
        }
        afterCall();
        return this;
    }

    private Behavior<Command> onHosts(List<String> hosts, boolean add, ActorRef<StatusReply<List<HostResult>>> replyTo) {
        flushQueued();
        try {
            ensureUp();
            replyTo.tell(StatusReply.success(add ? pvm.addHosts(hosts) : pvm.deleteHosts(hosts)));
        } catch (PvmException e) {
            replyTo.tell(StatusReply.error(e.getMessage()));
        }
        afterCall();
        return this;
    }

    private Behavior<Command> onHalt(Halt h) {
        flushQueued();
        try {
            ensureUp();
            pvm.halt();
            lost(new PvmException("pvm_halt", "the virtual machine was halted", null));
            h.replyTo().tell(StatusReply.ack());
        } catch (PvmException e) {
            h.replyTo().tell(StatusReply.error(e.getMessage()));
        }
        return this;
    }

    private Behavior<Command> onWatchHosts(WatchHosts w) {
        if (!w.dtids().isEmpty()) {
            flushQueued();
            try {
                ensureUp();
                pvm.notify(NotifyKind.HOST_DELETE, WireTags.HOST_DELETE, w.dtids().stream().mapToInt(i -> i).toArray());
            } catch (PvmException e) {
                getContext().getLog().warn("cannot watch hosts {}: {}", w.dtids(), e.getMessage());
            }
            afterCall();
        }
        return this;
    }

    private Behavior<Command> onAlive(Alive a) {
        flushQueued();
        boolean alive;
        try {
            ensureUp();
            alive = pvm.mytid() > 0 && !pvm.config().hosts().isEmpty();
        } catch (PvmException e) {
            alive = false;
        }
        a.replyTo().tell(alive);
        afterCall();
        return this;
    }

    private Behavior<Command> onForget(Forget f) {
        owners.remove(f.task().tid());
        exited.remove(f.task().tid());
        return this;
    }

    private Behavior<Command> onSubscribe(SubscribeMessages s) {
        messageSubscribers.add(s.subscriber());
        return this;
    }

    private Behavior<Command> onGetCounters(GetCounters g) {
        g.replyTo().tell(new Counters(dropped, routed, droppedByReason));
        return this;
    }

    private Behavior<Command> onDrain() {
        afterCall();
        return this;
    }

    /** Drains what arrived (any call may pull messages into libpvm's queue) and re-arms the watcher. */
    private void afterCall() {
        if (!up) {
            return;
        }
        try {
            for (int i = 0; i < settings.drainBatch; i++) {
                Optional<Inbound> in = pvm.receive(Pvm.ANY, Pvm.ANY, 0);
                if (in.isEmpty()) {
                    watcher.arm();
                    return;
                }
                route(in.get());
            }
            getContext().getSelf().tell(Drain.INSTANCE); // let other commands in, then go on
        } catch (PvmException e) {
            lost(e);
        }
    }

    private void lost(PvmException e) {
        getContext().getLog().error("lost the PVM daemon: {}", e.getMessage());
        up = false;
        vmLost = true;
        outgoing.failAll("lost the PVM daemon: " + e.getMessage());
        watcher.disarm();
        owners.clear();
        exited.clear();
        if (spawner != null) {
            spawner.tell(new Spawner.VmLost(e.getMessage()));
        }
        if (monitor != null) {
            monitor.tell(new HostMonitor.VmLost(e.getMessage()));
        }
    }

    private void route(Inbound in) {
        if (in instanceof Inbound.Notification n) {
            routeNotify(n);
        } else if (in instanceof Inbound.Message m) {
            switch (m.tag()) {
                case WireTags.RESULT -> routeResult(m);
                case WireTags.USER -> routeUser(m);
                case WireTags.OUTPUT -> routeOutput(m);
                default -> drop("message with a tag the runtime does not use", m);
            }
        } else if (in instanceof Inbound.Refused r) {
            drop("refused unread: " + r.reason(), r);
        }
    }

    private void routeNotify(Inbound.Notification n) {
        if (spawner == null || monitor == null) {
            drop("notify before the runtime was attached", n);
            return;
        }
        routed++;
        switch (n.kind()) {
            case TASK_EXIT -> n.ids().forEach(tid -> {
                if (owners.containsKey(tid)) {
                    exited.add(tid);
                }
                spawner.tell(new Spawner.TaskExited(new TaskId(tid)));
            });
            case HOST_DELETE -> n.ids().forEach(dtid -> monitor.tell(new HostMonitor.HostDeleted(dtid)));
            case HOST_ADD -> monitor.tell(new HostMonitor.HostsAdded(n.ids()));
            default -> drop("unexpected notify", n);
        }
    }

    private void routeResult(Inbound.Message m) {
        if (!owners.containsKey(m.source())) {
            drop("result from a task this runtime did not spawn (or already ended)", m);
            return;
        }
        WireResult w;
        try {
            w = codec.decode(m.data(), WireResult.class);
        } catch (WireException e) {
            drop("malformed result: " + e.getMessage(), m);
            return;
        }
        if (w.taskId().tid() != m.source()) {
            drop("result claims to be from " + w.taskId() + " but was sent by " + new TaskId(m.source()), m);
            return;
        }
        routed++;
        spawner.tell(new Spawner.ResultArrived(new MsgTaskResult(w.taskId(), w.success(), w.value(), w.error())));
    }

    private void routeUser(Inbound.Message m) {
        ActorRef<TaskEvent> owner = owners.get(m.source());
        if (owner == null && messageSubscribers.isEmpty()) {
            drop("user message from a task with no owner and no subscriber", m);
            return;
        }
        Object o;
        try {
            o = codec.decode(m.data());
        } catch (WireException e) {
            drop("malformed user message: " + e.getMessage(), m);
            return;
        }
        routed++;
        TaskMessage tm = new TaskMessage(new TaskId(m.source()), o);
        if (owner != null) {
            owner.tell(tm);
        }
        for (ActorRef<TaskMessage> s : messageSubscribers) {
            s.tell(tm);
        }
    }

    /** PvmOutputCode messages: int tid, int count, then count bytes (XDR, as the pvmd packs them). */
    private void routeOutput(Inbound.Message m) {
        if ((m.source() & TaskId.TIDPVMD) == 0) {
            drop("output message not sent by a pvmd", m);
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(m.data());
        if (b.remaining() < 8) {
            drop("short output message", m);
            return;
        }
        int tid = b.getInt();
        int count = b.getInt();
        if (count > b.remaining()) {
            drop("output message longer than its body", m);
            return;
        }
        if (count <= 0) {
            return; // 0 = EOF, negative = spawn/exit markers: nothing to show
        }
        String text = new String(m.data(), 8, count, StandardCharsets.UTF_8);
        TaskId task = new TaskId(tid);
        getContext().getLog().info("[{}] {}", task, text.stripTrailing());
        ActorRef<TaskEvent> owner = owners.get(tid);
        if (owner != null) {
            owner.tell(new MsgTaskOutput(task, text));
        }
        routed++;
    }

    private void drop(String reason, Inbound in) {
        dropped++;
        droppedByReason.merge(reason.length() > 60 ? reason.substring(0, 60) : reason, 1L, Long::sum);
        if (loggedReasons.add(reason)) {
            getContext().getLog().warn("dropped {}: {} (logged once per reason; counted)", in, reason);
        }
    }

    private Behavior<Command> onStop() {
        flushQueued();
        watcher.close();
        try {
            pvm.exit();
        } catch (PvmException e) {
            getContext().getLog().debug("pvm_exit: {}", e.getMessage());
        }
        return this;
    }
}
