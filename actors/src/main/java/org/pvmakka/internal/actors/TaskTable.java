package org.pvmakka.internal.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.task.TaskId;

/**
 * The {@link Spawner}'s table of running tasks and the state machine that gives each task's owner
 * its result (when asked for) and then exactly one {@link MsgTaskExit}. A plain class: every input
 * returns the {@link Effect}s to perform (deliver an event, start or cancel a timer, signal a task),
 * and the actor only performs them.
 *
 * @param <O> the owner type (an actor ref in the spawner; anything in a unit test)
 */
final class TaskTable<O> {

    /** What the caller must do after an input, in order. */
    sealed interface Effect<O> {
    }

    /** Tell {@code owner} this event. */
    record Deliver<O>(O owner, TaskEvent event) implements Effect<O> {
    }

    /**
     * The task left the table: stop routing its messages, release its slot, cancel its timers.
     * {@code lastOfOwner} says that its owner has no task left (it need not be watched any longer).
     */
    record Ended<O>(TaskId task, O owner, boolean lastOfOwner) implements Effect<O> {
    }

    /** The task exited without the result it owes: wait this long for the result ({@link #graceExpired}). */
    record StartResultGrace<O>(TaskId task) implements Effect<O> {
    }

    /** Call {@link #timeLimitExpired} after {@code limit}. */
    record StartTimeLimit<O>(TaskId task, Duration limit) implements Effect<O> {
    }

    /** Ask the task to end ({@code pvm_kill}: SIGTERM). */
    record Terminate<O>(TaskId task) implements Effect<O> {
    }

    /** Call {@link #killGraceExpired} after the kill grace. */
    record StartKillGrace<O>(TaskId task) implements Effect<O> {
    }

    /** The task ignored its SIGTERM: SIGKILL it. */
    record ForceKill<O>(TaskId task) implements Effect<O> {
    }

    /** One task of the table. */
    static final class Entry<O> {
        final TaskId id;
        final String function;
        final boolean sendBack;
        final O owner;
        final boolean system;
        final boolean keepRunningWhenOwnerStops;
        boolean resultDelivered;
        boolean exitSeen;
        boolean ownerGone;
        /** Null until it is killed; then the cause its exit gets. */
        MsgTaskExit.Cause killCause;
        String killDetail = "";

        Entry(TaskId id, String function, boolean sendBack, O owner, boolean system, boolean keepRunningWhenOwnerStops) {
            this.id = id;
            this.function = function;
            this.sendBack = sendBack;
            this.owner = owner;
            this.system = system;
            this.keepRunningWhenOwnerStops = keepRunningWhenOwnerStops;
        }

        int host() {
            return id.hostDtid();
        }
    }

    private final Map<Integer, Entry<O>> tasks = new LinkedHashMap<>();
    private final Set<Integer> earlyExits = new HashSet<>();
    private final Map<Integer, MsgTaskResult> earlyResults = new HashMap<>();
    private long droppedResults;

    /**
     * A task started. Results and exits that arrived before it (buffered while spawning) are
     * replayed by {@link #replayEarly}.
     *
     * @param timeLimit null for none
     */
    List<Effect<O>> started(TaskId id, String function, boolean sendBack, O owner, boolean system,
            boolean keepRunningWhenOwnerStops, Duration timeLimit) {
        tasks.put(id.tid(), new Entry<>(id, function, sendBack, owner, system, keepRunningWhenOwnerStops));
        return timeLimit == null ? List.of() : List.of(new StartTimeLimit<>(id, timeLimit));
    }

    /**
     * A result arrived.
     *
     * @param spawning whether a spawn is waiting for outcomes (then a result of an unknown task
     *     may belong to it: it is kept for {@link #replayEarly})
     */
    List<Effect<O>> resultArrived(MsgTaskResult r, boolean spawning) {
        TaskId t = r.taskId();
        Entry<O> e = tasks.get(t.tid());
        if (e == null) {
            if (spawning && t.isValid()) {
                earlyResults.putIfAbsent(t.tid(), r);
            } else {
                droppedResults++; // it already ended (late) or was never ours
            }
            return List.of();
        }
        if (e.resultDelivered || !e.sendBack) {
            droppedResults++; // duplicate or unrequested
            return List.of();
        }
        e.resultDelivered = true;
        List<Effect<O>> out = new ArrayList<>();
        deliver(e, r, out);
        if (e.exitSeen) {
            finish(e, e.killCause != null ? e.killCause : MsgTaskExit.Cause.EXITED, e.killDetail, out);
        }
        return out;
    }

    /** A task's TaskExit notify arrived ({@code spawning} as for {@link #resultArrived}). */
    List<Effect<O>> exited(TaskId task, boolean spawning) {
        Entry<O> e = tasks.get(task.tid());
        if (e == null) {
            if (spawning && task.isValid()) {
                earlyExits.add(task.tid());
            }
            return List.of();
        }
        if (e.exitSeen) {
            return List.of();
        }
        e.exitSeen = true;
        List<Effect<O>> out = new ArrayList<>();
        if (e.killCause != null) {
            finish(e, e.killCause, e.killDetail, out);
        } else if (e.sendBack && !e.resultDelivered) {
            out.add(new StartResultGrace<>(e.id));
        } else {
            finish(e, MsgTaskExit.Cause.EXITED, "", out);
        }
        return out;
    }

    /** Results and exits that overtook their spawn's outcome; those of tasks still unknown are dropped. */
    List<Effect<O>> replayEarly(boolean stillSpawning) {
        Map<Integer, MsgTaskResult> results = new LinkedHashMap<>(earlyResults);
        Set<Integer> exits = new HashSet<>(earlyExits);
        earlyResults.clear();
        earlyExits.clear();
        List<Effect<O>> out = new ArrayList<>();
        results.values().forEach(r -> out.addAll(resultArrived(r, stillSpawning)));
        exits.forEach(t -> out.addAll(exited(new TaskId(t), stillSpawning)));
        return out;
    }

    /** The result grace of an exited task passed. */
    List<Effect<O>> graceExpired(TaskId task) {
        return graceExpired(task, "");
    }

    /**
     * The result grace of an exited task passed; {@code lastOutput} (the last lines it printed, or "")
     * goes into its exit's detail, with the note that PVM 3.4 does not report exit codes.
     */
    List<Effect<O>> graceExpired(TaskId task, String lastOutput) {
        Entry<O> e = tasks.get(task.tid());
        if (e == null || !e.exitSeen) {
            return List.of();
        }
        List<Effect<O>> out = new ArrayList<>();
        finish(e, MsgTaskExit.Cause.NO_RESULT, noResultDetail(lastOutput), out);
        return out;
    }

    /** The detail of a NO_RESULT exit. */
    static String noResultDetail(String lastOutput) {
        return "the worker ended without sending its result (PVM 3.4 does not report its exit code); "
                + (lastOutput.isEmpty() ? "it printed nothing" : "its last output:\n" + lastOutput);
    }

    boolean contains(TaskId task) {
        return tasks.containsKey(task.tid());
    }

    /** Kill a task through the runtime; empty when it is not in the table. */
    List<Effect<O>> kill(TaskId task) {
        Entry<O> e = tasks.get(task.tid());
        List<Effect<O>> out = new ArrayList<>();
        if (e != null) {
            kill(e, MsgTaskExit.Cause.KILLED, "", out);
        }
        return out;
    }

    /** Kill every task that is not a system task and not killed yet; one {@link Terminate} each. */
    List<Effect<O>> killAll() {
        List<Effect<O>> out = new ArrayList<>();
        for (Entry<O> e : tasks.values()) {
            if (!e.system && e.killCause == null) {
                kill(e, MsgTaskExit.Cause.KILLED, "", out);
            }
        }
        return out;
    }

    /** The task ran out of its time. */
    List<Effect<O>> timeLimitExpired(TaskId task) {
        Entry<O> e = tasks.get(task.tid());
        List<Effect<O>> out = new ArrayList<>();
        if (e != null && e.killCause == null && !e.exitSeen) {
            kill(e, MsgTaskExit.Cause.TIME_LIMIT, "it ran longer than its time limit", out);
        }
        return out;
    }

    /** The kill grace of a killed task passed: if it has not exited, it is killed hard. */
    List<Effect<O>> killGraceExpired(TaskId task) {
        Entry<O> e = tasks.get(task.tid());
        return e != null && e.killCause != null && !e.exitSeen ? List.of(new ForceKill<>(e.id)) : List.of();
    }

    /** An owner stopped: its tasks are killed, unless spawned to keep running (their events are then dropped). */
    List<Effect<O>> ownerStopped(O owner) {
        List<Effect<O>> out = new ArrayList<>();
        for (Entry<O> e : tasks.values()) {
            if (e.owner.equals(owner)) {
                e.ownerGone = true;
                if (!e.keepRunningWhenOwnerStops && e.killCause == null && !e.exitSeen) {
                    kill(e, MsgTaskExit.Cause.KILLED, "its owner stopped", out);
                }
            }
        }
        return out;
    }

    /** A host left the VM: its tasks end with {@link MsgTaskExit.Cause#HOST_LOST}. */
    List<Effect<O>> hostLost(int dtid, String reason) {
        List<Effect<O>> out = new ArrayList<>();
        for (Entry<O> e : new ArrayList<>(tasks.values())) {
            if (e.host() == dtid) {
                finish(e, MsgTaskExit.Cause.HOST_LOST, "host " + Integer.toHexString(dtid) + " left the VM: " + reason,
                        out);
            }
        }
        return out;
    }

    /** The pvmd is gone: every task ends with {@link MsgTaskExit.Cause#VM_LOST}. */
    List<Effect<O>> vmLost(String reason) {
        List<Effect<O>> out = new ArrayList<>();
        for (Entry<O> e : new ArrayList<>(tasks.values())) {
            finish(e, MsgTaskExit.Cause.VM_LOST, reason, out);
        }
        return out;
    }

    /** The tasks that have not ended, system tasks included, in start order. */
    List<Entry<O>> entries() {
        return List.copyOf(tasks.values());
    }

    /** Results dropped as late, duplicate or unrequested. */
    long droppedResults() {
        return droppedResults;
    }

    private void kill(Entry<O> e, MsgTaskExit.Cause cause, String detail, List<Effect<O>> out) {
        out.add(new Terminate<>(e.id));
        if (e.killCause == null && !e.exitSeen) {
            e.killCause = cause;
            e.killDetail = detail;
            out.add(new StartKillGrace<>(e.id));
        }
    }

    private void deliver(Entry<O> e, TaskEvent event, List<Effect<O>> out) {
        if (!e.ownerGone) {
            out.add(new Deliver<>(e.owner, event));
        }
    }

    private void finish(Entry<O> e, MsgTaskExit.Cause cause, String detail, List<Effect<O>> out) {
        tasks.remove(e.id.tid());
        boolean last = tasks.values().stream().noneMatch(o -> o.owner.equals(e.owner));
        out.add(new Ended<>(e.id, e.owner, last));
        deliver(e, new MsgTaskExit(e.id, cause, detail), out);
    }
}
