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
import org.pvmakka.internal.wire.Credit;
import org.pvmakka.internal.wire.Delivery;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.internal.worker.FunctionLauncher;
import org.pvmakka.javadsl.HostChange;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.MsgTaskStarted;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.RuntimeCounters;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.HostId;
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
 * per command; the actor keeps serving. Flow control: each drain turn ends with the credit due to the tasks whose
 * messages were handed to their owners (or confirmed by them, {@link Confirm}); see {@link CreditLedger}.
 */
public final class PvmBridgeActor extends AbstractBehavior<PvmBridgeActor.Command> {

    /** The bridge's protocol. */
    public sealed interface Command {
    }

    /** Where inbound runtime traffic goes; sent once by the guardian before anything else. */
    public record Attach(ActorRef<Spawner.Command> spawner, ActorRef<HostMonitor.Command> monitor) implements Command {
    }

    /** Sent to the guardian once the {@link Pvm} is open, or with why it could not be opened. */
    public record Opened(String failure) {
    }

    /** Spawn {@code count} workers on a host (by name; null = PVM's choice). */
    public record SpawnTasks(long requestId, SpawnRequest request, String host, int count, ActorRef<TaskEvent> owner,
            Object correlation, boolean announce, ActorRef<SpawnOutcome> replyTo) implements Command {
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

    /** Send a registered object to a task and answer once the task confirmed receipt, or with an error. */
    public record SendConfirmed(TaskId to, Object message, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** The owner of a task handled {@code count} more of its messages; {@code replyTo} may be null. */
    public record Confirm(TaskId task, int count, ActorRef<StatusReply<Done>> replyTo) implements Command {
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
    public record AddHosts(List<String> hosts, ActorRef<StatusReply<List<HostChange>>> replyTo) implements Command {
        public AddHosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** Delete hosts from the VM ({@code pvm_delhosts}); one result per host. */
    public record DeleteHosts(List<String> hosts, ActorRef<StatusReply<List<HostChange>>> replyTo) implements Command {
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

    /** Whether the VM answers ({@code pvm_mytid}); enrolls if needed. An error says why not. */
    public record Alive(ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** The spawner is done with a task: stop routing its messages. */
    public record Forget(TaskId task) implements Command {
    }

    /** The last lines a live task printed ("" for none), kept by the bridge for the task's exit detail. */
    public record OutputTail(TaskId task, ActorRef<String> replyTo) implements Command {
    }

    /** Receive every user message too (in addition to the owner of the sending task). */
    public record SubscribeMessages(ActorRef<TaskMessage> subscriber) implements Command {
    }

    /** Counters of what was routed and dropped. */
    public record GetCounters(ActorRef<StatusReply<RuntimeCounters>> replyTo) implements Command {
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
    public static Behavior<Command> create(PvmSettings settings, WireCodec codec, PvmFactory pvms,
            ActorRef<Opened> opened) {
        return Behaviors.setup(ctx -> {
            Pvm pvm;
            try {
                pvm = pvms.open();
            } catch (RuntimeException | LinkageError e) {
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                opened.tell(new Opened("cannot open PVM: " + why));
                return Behaviors.stopped();
            }
            opened.tell(new Opened(null));
            return new PvmBridgeActor(ctx, settings, codec, pvm);
        });
    }

    private final PvmSettings settings;
    private final WireCodec codec;
    private final Pvm pvm;
    private final FunctionLauncher launcher;
    private final InboundWatcher watcher;
    private final SendCoalescer outgoing;
    private boolean flushScheduled;
    private final InboundRouter<ActorRef<TaskEvent>> router;
    private final DeliveryTracker<ActorRef<StatusReply<Done>>> deliveries = new DeliveryTracker<>();
    private ActorRef<Spawner.Command> spawner;
    private ActorRef<HostMonitor.Command> monitor;
    private boolean up;
    private boolean vmLost;

    private PvmBridgeActor(ActorContext<Command> ctx, PvmSettings settings, WireCodec codec, Pvm pvm) {
        super(ctx);
        this.settings = settings;
        this.codec = codec;
        this.pvm = pvm;
        this.router = new InboundRouter<>(codec, new RouterEffects(), settings.debug > 1);
        this.launcher = new FunctionLauncher(pvm, codec, SettingsInternals.wire(settings), SettingsInternals.worker(settings));
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
                .onMessage(SendConfirmed.class, this::onSendConfirmed)
                .onMessage(Confirm.class, this::onConfirm)
                .onMessage(Kill.class, this::onKill)
                .onMessage(ForceKill.class, this::onForceKill)
                .onMessage(ReadVm.class, this::onReadVm)
                .onMessage(WatchHosts.class, this::onWatchHosts)
                .onMessage(Halt.class, this::onHalt)
                .onMessage(AddHosts.class, a -> onHosts(a.hosts(), true, a.replyTo()))
                .onMessage(DeleteHosts.class, d -> onHosts(d.hosts(), false, d.replyTo()))
                .onMessage(Alive.class, this::onAlive)
                .onMessage(Forget.class, this::onForget)
                .onMessage(OutputTail.class, o -> {
                    afterCall(); // what has arrived first
                    o.replyTo().tell(router.outputTail(o.task().tid()));
                    return this;
                })
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
        router.attach();
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
        // always: the last lines of each task's output go with its exit (forwarded to owners only when debug > 1)
        pvm.setOption(PvmOption.OUTPUT_TID, pvm.mytid());
        pvm.setOption(PvmOption.OUTPUT_CODE, WireTags.OUTPUT);
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
                    router.started(r.tid(), s.owner(), s.correlation(), s.request().window());
                    // before anything of the task can reach the owner: the bridge routes all of it after this
                    if (s.announce()) {
                        HostId host = new HostId(r.taskId().hostDtid(), s.host() == null ? HostId.UNKNOWN : s.host());
                        s.owner().tell(new MsgTaskStarted(r.taskId(), host, s.request().functionClass(),
                                s.correlation()));
                    }
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
            if (router.exited(s.to().tid())) {
                throw noSuchTask(s.to());
            }
            if (router.owns(s.to().tid())) {
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

    private Behavior<Command> onSendConfirmed(SendConfirmed s) {
        flushQueued(); // after the plain sends before it
        long seq = -1;
        try {
            if (s.to() == null || !s.to().isValid()) {
                throw new IllegalArgumentException("cannot send to invalid task ID " + s.to());
            }
            ensureUp();
            if (router.exited(s.to().tid())) {
                throw noSuchTask(s.to());
            }
            if (!router.owns(s.to().tid())) {
                throw new IllegalArgumentException("a confirmed send needs a running task this runtime spawned (its"
                        + " worker confirms receipt); " + s.to() + " is not one: use SendMessage");
            }
            seq = deliveries.register(s.to().tid(), s.replyTo());
            pvm.send(s.to().tid(), WireTags.DELIVER, codec.encode(new Delivery(seq, s.message())));
        } catch (PvmException | WireException | IllegalArgumentException e) {
            deliveries.cancel(seq);
            reply(s.replyTo(), StatusReply.error(e.getMessage()));
        }
        afterCall();
        return this;
    }

    private Behavior<Command> onConfirm(Confirm c) {
        String error = c.task() == null ? "no task given"
                : c.count() < 1 ? "the count of handled messages must be positive, got " + c.count()
                : router.credits().confirm(c.task().tid(), c.count());
        if (error != null) {
            reply(c.replyTo(), StatusReply.error("MessagesHandled(" + c.task() + ", " + c.count() + "): " + error));
        } else {
            reply(c.replyTo(), StatusReply.ack());
        }
        if (router.credits().hasDue() && !flushScheduled) {
            flushScheduled = true; // confirmations already in the mailbox go out in the same credit
            getContext().getSelf().tell(Flush.INSTANCE);
        }
        return this;
    }

    private Behavior<Command> onFlush() {
        flushScheduled = false;
        boolean called = outgoing.flush();
        if (up && router.credits().hasDue()) {
            sendCredits();
            called = true;
        }
        if (called) {
            afterCall();
        }
        return this;
    }

    /** Sends every task the credit due to it; a task that is gone needs none. */
    private void sendCredits() {
        router.credits().drainDue(g -> {
            try {
                pvm.send(g.tid(), WireTags.CREDIT, codec.encode(new Credit(g.messages(), g.bytes())));
            } catch (PvmException e) {
                getContext().getLog().debug("credit to {}: {}", new TaskId(g.tid()), e.getMessage());
            }
        });
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

    private Behavior<Command> onHosts(List<String> hosts, boolean add, ActorRef<StatusReply<List<HostChange>>> replyTo) {
        flushQueued();
        try {
            ensureUp();
            replyTo.tell(StatusReply.success((add ? pvm.addHosts(hosts) : pvm.deleteHosts(hosts)).stream()
                    .map(r -> new HostChange(r.host(), r.ok() ? r.code() : -1, r.ok() ? null : r.error().toString()))
                    .toList()));
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
        StatusReply<Done> reply;
        try {
            ensureUp();
            reply = pvm.mytid() > 0 && !pvm.config().hosts().isEmpty() ? StatusReply.ack()
                    : StatusReply.error("the virtual machine has no hosts");
        } catch (PvmException e) {
            reply = StatusReply.error("no pvmd answers: " + e.getMessage());
        }
        a.replyTo().tell(reply);
        afterCall();
        return this;
    }

    private Behavior<Command> onForget(Forget f) {
        router.forget(f.task().tid());
        for (ActorRef<StatusReply<Done>> r : deliveries.ended(f.task().tid())) {
            reply(r, StatusReply.error("task " + f.task() + " ended before it confirmed receipt of the message"));
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> onSubscribe(SubscribeMessages s) {
        // a TaskMessage subscriber receives TaskMessages only: the router sends subscribers nothing else
        router.subscribe((ActorRef<TaskEvent>) (ActorRef<?>) s.subscriber());
        return this;
    }

    private Behavior<Command> onGetCounters(GetCounters g) {
        g.replyTo().tell(StatusReply.success(router.counters()));
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
                    if (router.credits().hasDue()) {
                        sendCredits();
                        continue; // a send may have pulled messages into libpvm's queue: receive again
                    }
                    watcher.arm();
                    return;
                }
                route(in.get());
            }
            sendCredits();
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
        router.clear();
        for (ActorRef<StatusReply<Done>> r : deliveries.clear()) {
            reply(r, StatusReply.error("lost the PVM daemon before the task confirmed receipt: " + e.getMessage()));
        }
        if (spawner != null) {
            spawner.tell(new Spawner.VmLost(e.getMessage()));
        }
        if (monitor != null) {
            monitor.tell(new HostMonitor.VmLost(e.getMessage()));
        }
    }

    private void route(Inbound in) {
        router.route(in);
    }

    /** The router's effects: messages to the spawner, the monitor and owners; the log. */
    private final class RouterEffects implements InboundRouter.Effects<ActorRef<TaskEvent>> {
        @Override
        public void resultArrived(MsgTaskResult result) {
            spawner.tell(new Spawner.ResultArrived(result));
        }

        @Override
        public void taskExited(TaskId task) {
            spawner.tell(new Spawner.TaskExited(task));
        }

        @Override
        public void hostDeleted(int dtid) {
            monitor.tell(new HostMonitor.HostDeleted(dtid));
        }

        @Override
        public void hostsAdded(List<Integer> dtids) {
            monitor.tell(new HostMonitor.HostsAdded(dtids));
        }

        @Override
        public void toOwner(ActorRef<TaskEvent> owner, TaskEvent event) {
            owner.tell(event);
        }

        @Override
        public void receiptArrived(TaskId task, long seq) {
            ActorRef<StatusReply<Done>> r = deliveries.received(task.tid(), seq);
            if (r != null) {
                reply(r, StatusReply.ack());
            }
        }

        @Override
        public void dropped(String reason, Inbound in, boolean first) {
            if (first) {
                getContext().getLog().warn("dropped {}: {} (logged once per reason; counted)", in, reason);
            }
        }

        @Override
        public void output(TaskId task, String text) {
            getContext().getLog().debug("[{}] {}", task, text.stripTrailing());
        }

        @Override
        public boolean logsOutput() {
            return getContext().getLog().isDebugEnabled();
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
