package org.pvmakka.internal.actors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.wire.FlowWindow;
import org.pvmakka.internal.wire.Receipt;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.javadsl.MsgTaskOutput;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.RuntimeCounters;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.TaskId;
import org.pvmakka.task.WireException;

/**
 * The bridge's inbound routing and trust checks, without actors: who owns which task, and where each message that
 * PVM delivers goes. A result is accepted only from a live task this runtime spawned and only if it names its own
 * sender; user messages go to the owner of the sending task and to subscribers; task output only from a pvmd;
 * notifies only once the runtime is attached; everything else is dropped and counted by reason. A flow-controlled
 * task's user messages are admitted only within its window ({@link CreditLedger}); a receipt only from a task this
 * runtime spawned.
 *
 * @param <O> how an owner or subscriber is addressed (an actor reference in the runtime)
 */
final class InboundRouter<O> {

    /** Where routed traffic goes. */
    interface Effects<O> {
        void resultArrived(MsgTaskResult result);

        void taskExited(TaskId task);

        void hostDeleted(int dtid);

        void hostsAdded(List<Integer> dtids);

        void toOwner(O owner, TaskEvent event);

        /** Something was dropped; {@code first} is true the first time for this reason (log it then). */
        void dropped(String reason, Inbound in, boolean first);

        /** Task output, for the log: called when it is forwarded to owners, or when {@link #logsOutput()}. */
        void output(TaskId task, String text);

        /** Whether task output that is not forwarded should be decoded and given to {@link #output} too. */
        default boolean logsOutput() {
            return false;
        }

        /** A task confirmed that delivery {@code seq} is in its inbox. */
        default void receiptArrived(TaskId task, long seq) {
        }
    }

    /** The owner of a task and the correlation key of its spawn. */
    record Route<O>(O owner, Object correlation) {
    }

    static final int MAX_REASON = 60;
    private static final java.util.regex.Pattern NUMBERS = java.util.regex.Pattern.compile(
            "\\b[tx]?[0-9a-fA-F]*[0-9][0-9a-fA-F]*\\b");

    private final WireCodec codec;
    private final Effects<O> effects;
    private final Map<Integer, Route<O>> routes = new HashMap<>();
    /** Tasks whose TaskExit notify arrived but that the spawner has not forgotten yet. */
    private final Set<Integer> exited = new HashSet<>();
    private final Set<O> subscribers = new LinkedHashSet<>();
    private final CreditLedger credits = new CreditLedger();
    private final Map<String, Long> droppedByReason = new HashMap<>();
    private final OutputTails tails = new OutputTails();
    private final boolean forwardOutput;
    private boolean attached;
    private long dropped;
    private long routed;

    InboundRouter(WireCodec codec, Effects<O> effects) {
        this(codec, effects, true);
    }

    /**
     * @param forwardOutput whether task output goes to the task's owner as {@link MsgTaskOutput} ({@code debug > 1});
     *     either way the last lines of each task's output are kept for {@link #outputTail}
     */
    InboundRouter(WireCodec codec, Effects<O> effects, boolean forwardOutput) {
        this.codec = codec;
        this.effects = effects;
        this.forwardOutput = forwardOutput;
    }

    /** The spawner and the host monitor are known: notifies can be routed. */
    void attach() {
        attached = true;
    }

    /** A task was spawned for {@code owner}: its traffic is routed from now on. */
    void started(int tid, O owner, Object correlation) {
        started(tid, owner, correlation, null);
    }

    /** A task was spawned for {@code owner} with this credit window (null: none). */
    void started(int tid, O owner, Object correlation, FlowWindow window) {
        routes.put(tid, new Route<>(owner, correlation));
        credits.open(tid, window);
    }

    /** The tasks' credit accounts. */
    CreditLedger credits() {
        return credits;
    }

    /** The spawner is done with a task: nothing of it is routed any more. */
    void forget(int tid) {
        routes.remove(tid);
        exited.remove(tid);
        credits.close(tid);
        tails.drop(tid);
    }

    /** The last lines a live task printed ("" for none; see {@link OutputTails#tail}). */
    String outputTail(int tid) {
        return tails.tail(tid);
    }

    /** How many tasks have output kept (for tests). */
    int outputsKept() {
        return tails.size();
    }

    /** The VM is gone: every route with it. */
    void clear() {
        routes.clear();
        exited.clear();
        tails.clear();
        credits.clear();
    }

    boolean owns(int tid) {
        return routes.containsKey(tid);
    }

    /** True when the task's exit notify came (messages to it are refused from then on). */
    boolean exited(int tid) {
        return exited.contains(tid);
    }

    void subscribe(O subscriber) {
        subscribers.add(subscriber);
    }

    RuntimeCounters counters() {
        return new RuntimeCounters(routed, dropped, droppedByReason);
    }

    void route(Inbound in) {
        if (in instanceof Inbound.Notification n) {
            routeNotify(n);
        } else if (in instanceof Inbound.Message m) {
            switch (m.tag()) {
                case WireTags.RESULT -> routeResult(m);
                case WireTags.USER -> routeUser(m);
                case WireTags.OUTPUT -> routeOutput(m);
                case WireTags.RECEIPT -> routeReceipt(m);
                default -> drop("message with a tag the runtime does not use", m);
            }
        } else if (in instanceof Inbound.Refused r) {
            drop("refused unread: " + r.reason(), r);
        }
    }

    private void routeNotify(Inbound.Notification n) {
        if (!attached) {
            drop("notify before the runtime was attached", n);
            return;
        }
        if ((n.source() & TaskId.TIDPVMD) == 0) {
            drop("notify not sent by a pvmd", n);
            return;
        }
        switch (n.kind()) {
            case TASK_EXIT -> n.ids().forEach(tid -> {
                if (routes.containsKey(tid)) {
                    exited.add(tid);
                }
                effects.taskExited(new TaskId(tid));
            });
            case HOST_DELETE -> n.ids().forEach(effects::hostDeleted);
            case HOST_ADD -> effects.hostsAdded(n.ids());
            default -> {
                drop("unexpected notify", n);
                return;
            }
        }
        routed++;
    }

    private void routeResult(Inbound.Message m) {
        Route<O> route = routes.get(m.source());
        if (route == null) {
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
        effects.resultArrived(new MsgTaskResult(w.taskId(), w.success(), w.value(), w.error(), route.correlation()));
    }

    private void routeUser(Inbound.Message m) {
        Route<O> route = routes.get(m.source());
        if (route == null && subscribers.isEmpty()) {
            drop("user message from a task with no owner and no subscriber", m);
            return;
        }
        if (route != null && !credits.admit(m.source(), m.data().length)) {
            drop("user message beyond the task's flow-control window (it ignores its credits)", m);
            return;
        }
        Object o;
        try {
            o = codec.decode(m.data());
        } catch (WireException e) {
            if (route != null) {
                credits.discarded(m.source(), m.data().length); // nothing for the owner to confirm
            }
            drop("malformed user message: " + e.getMessage(), m);
            return;
        }
        routed++;
        TaskMessage tm = new TaskMessage(new TaskId(m.source()), o, route == null ? null : route.correlation());
        if (route != null) {
            effects.toOwner(route.owner(), tm);
            credits.handedOff(m.source(), m.data().length);
        }
        for (O s : subscribers) {
            effects.toOwner(s, tm);
        }
    }

    private void routeReceipt(Inbound.Message m) {
        if (!routes.containsKey(m.source())) {
            drop("receipt from a task this runtime did not spawn (or already ended)", m);
            return;
        }
        Receipt r;
        try {
            r = codec.decode(m.data(), Receipt.class);
        } catch (WireException e) {
            drop("malformed receipt: " + e.getMessage(), m);
            return;
        }
        routed++;
        effects.receiptArrived(new TaskId(m.source()), r.seq());
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
        routed++;
        if (count <= 0) {
            return; // 0 = EOF, negative = spawn/exit markers: nothing to show
        }
        Route<O> route = routes.get(tid);
        if (route != null) {
            tails.append(tid, m.data(), 8, count); // only of live tasks: dropped when the task is forgotten
        }
        if (!forwardOutput && !effects.logsOutput()) {
            return;
        }
        String text = new String(m.data(), 8, count, StandardCharsets.UTF_8);
        TaskId task = new TaskId(tid);
        effects.output(task, text);
        if (route != null && forwardOutput) {
            effects.toOwner(route.owner(), new MsgTaskOutput(task, text, route.correlation()));
        }
    }

    private void drop(String reason, Inbound in) {
        dropped++;
        // numbers and task IDs (sizes, offsets, claimed senders) do not make a new reason: one log line and one
        // counter per kind of drop, however a rogue task varies them
        String general = NUMBERS.matcher(reason).replaceAll("#");
        String key = general.length() > MAX_REASON ? general.substring(0, MAX_REASON) : general;
        boolean first = !droppedByReason.containsKey(key);
        droppedByReason.merge(key, 1L, Long::sum);
        effects.dropped(reason, in, first);
    }
}
