package org.pvmakka.internal.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.actors.TaskTable.Deliver;
import org.pvmakka.internal.actors.TaskTable.Effect;
import org.pvmakka.internal.actors.TaskTable.Ended;
import org.pvmakka.internal.actors.TaskTable.ForceKill;
import org.pvmakka.internal.actors.TaskTable.StartKillGrace;
import org.pvmakka.internal.actors.TaskTable.StartResultGrace;
import org.pvmakka.internal.actors.TaskTable.StartTimeLimit;
import org.pvmakka.internal.actors.TaskTable.Terminate;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskExit.Cause;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.task.TaskId;

/** The spawner's task table without actors: exactly one exit per task, whatever arrives in whatever order. */
class TaskTableTest {
    static final int HOST = 0x40000;
    static final TaskId T = new TaskId(HOST | 1);
    static final TaskId U = new TaskId(HOST | 2);
    static final TaskId OTHER_HOST = new TaskId(0x80000 | 1);

    final TaskTable<String> table = new TaskTable<>();

    static MsgTaskResult result(TaskId t) {
        return new MsgTaskResult(t, true, 42, null);
    }

    void start(TaskId t, String owner) {
        assertEquals(List.of(), table.started(t, "F", true, owner, false, false, null));
    }

    static List<TaskEvent> delivered(List<Effect<String>> effects) {
        List<TaskEvent> out = new ArrayList<>();
        for (Effect<String> e : effects) {
            if (e instanceof Deliver<String> d) {
                out.add(d.event());
            }
        }
        return out;
    }

    static MsgTaskExit onlyExit(List<Effect<String>> effects) {
        List<TaskEvent> ev = delivered(effects);
        assertEquals(1, ev.size(), ev::toString);
        return assertInstanceOf(MsgTaskExit.class, ev.get(0));
    }

    @Test
    void resultThenExitEndsExited() {
        start(T, "a");
        List<Effect<String>> r = table.resultArrived(result(T), false);
        assertEquals(List.of(new Deliver<>("a", result(T))), r);
        List<Effect<String>> x = table.exited(T, false);
        assertEquals(new Ended<>(T, "a", true), x.get(0), "the table lets go before the owner hears");
        assertEquals(Cause.EXITED, onlyExit(x).cause());
        assertFalse(table.contains(T));
    }

    @Test
    void exitThenResultWithinGraceEndsExitedAfterTheResult() {
        start(T, "a");
        assertEquals(List.of(new StartResultGrace<>(T)), table.exited(T, false));
        List<Effect<String>> r = table.resultArrived(result(T), false);
        List<TaskEvent> ev = delivered(r);
        assertEquals(2, ev.size());
        assertInstanceOf(MsgTaskResult.class, ev.get(0));
        assertEquals(Cause.EXITED, assertInstanceOf(MsgTaskExit.class, ev.get(1)).cause());
        assertEquals(List.of(), table.graceExpired(T), "a grace that fires after the end does nothing");
    }

    @Test
    void exitWithoutResultEndsNoResultAfterTheGraceAndALateResultIsDropped() {
        start(T, "a");
        table.exited(T, false);
        MsgTaskExit x = onlyExit(table.graceExpired(T));
        assertEquals(Cause.NO_RESULT, x.cause());
        assertEquals(List.of(), table.resultArrived(result(T), false));
        assertEquals(1, table.droppedResults());
    }

    @Test
    void anExitWithoutResultCarriesTheTasksLastOutput() {
        start(T, "a");
        table.exited(T, false);
        MsgTaskExit x = onlyExit(table.graceExpired(T, "Exception in thread \"main\" java.lang.Error: boom"));
        assertEquals(Cause.NO_RESULT, x.cause());
        assertTrue(x.detail().contains("its last output:\nException in thread \"main\" java.lang.Error: boom"),
                x.detail());
        assertTrue(x.detail().contains("does not report its exit code"), x.detail());
        start(U, "a");
        table.exited(U, false);
        assertTrue(onlyExit(table.graceExpired(U, "")).detail().contains("it printed nothing"));
    }

    @Test
    void duplicateAndUnrequestedResultsAreDropped() {
        start(T, "a");
        table.started(U, "F", false, "a", false, false, null);
        assertEquals(1, delivered(table.resultArrived(result(T), false)).size());
        assertEquals(List.of(), table.resultArrived(result(T), false));
        assertEquals(List.of(), table.resultArrived(result(U), false));
        assertEquals(2, table.droppedResults());
        assertEquals(Cause.EXITED, onlyExit(table.exited(U, false)).cause(), "no grace for a task that owes nothing");
    }

    @Test
    void aKillEscalatesUnlessTheTaskExitsAndEndsKilledWithoutGrace() {
        start(T, "a");
        assertEquals(List.of(new Terminate<>(T), new StartKillGrace<>(T)), table.kill(T));
        assertEquals(List.of(new Terminate<>(T)), table.kill(T), "a second kill signals again, one grace");
        assertEquals(List.of(new ForceKill<>(T)), table.killGraceExpired(T));
        assertEquals(Cause.KILLED, onlyExit(table.exited(T, false)).cause());
        assertEquals(List.of(), table.killGraceExpired(T));
        assertEquals(List.of(), table.kill(T));
    }

    @Test
    void aKilledTaskThatExitsInTimeIsNotForceKilled() {
        start(T, "a");
        table.kill(T);
        table.exited(T, false);
        assertEquals(List.of(), table.killGraceExpired(T));
    }

    @Test
    void aResultBetweenKillAndExitIsDeliveredAndTheExitSaysKilled() {
        start(T, "a");
        table.kill(T);
        assertEquals(1, delivered(table.resultArrived(result(T), false)).size());
        assertEquals(Cause.KILLED, onlyExit(table.exited(T, false)).cause());
    }

    @Test
    void aTimeLimitKillsWithItsOwnCause() {
        assertEquals(List.of(new StartTimeLimit<>(T, Duration.ofSeconds(5))),
                table.started(T, "F", true, "a", false, false, Duration.ofSeconds(5)));
        assertEquals(List.of(new Terminate<>(T), new StartKillGrace<>(T)), table.timeLimitExpired(T));
        MsgTaskExit x = onlyExit(table.exited(T, false));
        assertEquals(Cause.TIME_LIMIT, x.cause());
        assertTrue(x.detail().contains("time limit"), x.detail());
        assertEquals(List.of(), table.timeLimitExpired(T));
    }

    @Test
    void aTimeLimitAfterTheExitOrAKillChangesNothing() {
        table.started(T, "F", true, "a", false, false, Duration.ofSeconds(5));
        table.exited(T, false);
        assertEquals(List.of(), table.timeLimitExpired(T), "exited, waiting for its result");
        assertEquals(Cause.NO_RESULT, onlyExit(table.graceExpired(T)).cause());
        table.started(U, "F", true, "a", false, false, Duration.ofSeconds(5));
        table.kill(U);
        assertEquals(List.of(), table.timeLimitExpired(U));
        assertEquals(Cause.KILLED, onlyExit(table.exited(U, false)).cause());
    }

    @Test
    void hostLostWithGracePendingEndsHostLostOnce() {
        start(T, "a");
        start(OTHER_HOST, "a");
        table.exited(T, false);
        List<Effect<String>> h = table.hostLost(HOST, "heartbeat silent");
        MsgTaskExit x = onlyExit(h);
        assertEquals(Cause.HOST_LOST, x.cause());
        assertTrue(x.detail().contains("heartbeat silent"), x.detail());
        assertEquals(new Ended<>(T, "a", false), h.get(0), "the owner still has a task on the other host");
        assertEquals(List.of(), table.graceExpired(T));
        assertEquals(List.of(), table.resultArrived(result(T), false));
        assertTrue(table.contains(OTHER_HOST));
    }

    @Test
    void vmLostEndsEveryTask() {
        start(T, "a");
        start(U, "b");
        List<TaskEvent> ev = delivered(table.vmLost("pvmd gone"));
        assertEquals(2, ev.size());
        ev.forEach(e -> assertEquals(Cause.VM_LOST, ((MsgTaskExit) e).cause()));
        assertEquals(List.of(), table.entries());
    }

    @Test
    void anOwnerThatStopsHasItsTasksKilledUnlessTheyKeepRunningAndHearsNothingMore() {
        start(T, "a");
        table.started(U, "F", true, "a", false, true, null);
        start(OTHER_HOST, "b");
        assertEquals(List.of(new Terminate<>(T), new StartKillGrace<>(T)), table.ownerStopped("a"));
        assertEquals(List.of(new Ended<>(T, "a", false)), table.exited(T, false), "nothing for a gone owner");
        assertTrue(table.contains(U), "kept running");
        assertEquals(List.of(), table.resultArrived(result(U), false));
        assertEquals(List.of(new Ended<>(U, "a", true)), table.exited(U, false));
        assertTrue(table.contains(OTHER_HOST), "another owner's task");
    }

    @Test
    void killAllSkipsSystemTasksAndKilledOnes() {
        start(T, "a");
        table.started(U, "Sentinel", false, "core", true, false, null);
        start(OTHER_HOST, "b");
        table.kill(T);
        List<Effect<String>> all = table.killAll();
        assertEquals(List.of(new Terminate<>(OTHER_HOST), new StartKillGrace<>(OTHER_HOST)), all);
        assertEquals(List.of(), table.killAll());
    }

    @Test
    void resultsAndExitsThatOvertakeTheSpawnAreReplayed() {
        assertEquals(List.of(), table.resultArrived(result(T), true));
        assertEquals(List.of(), table.exited(T, true));
        assertEquals(List.of(), table.exited(U, true));
        start(T, "a");
        List<TaskEvent> ev = delivered(table.replayEarly(false));
        assertEquals(2, ev.size(), ev::toString);
        assertInstanceOf(MsgTaskResult.class, ev.get(0));
        assertEquals(Cause.EXITED, assertInstanceOf(MsgTaskExit.class, ev.get(1)).cause());
        assertEquals(List.of(), table.replayEarly(false), "U never started: its exit was dropped");
        assertEquals(0, table.droppedResults());
    }

    // ---- every interleaving ----

    enum Input { RESULT, DUPLICATE_RESULT, EXIT, KILL, TIME_LIMIT, OWNER_STOPPED, HOST_LOST, KILL_ALL }

    /**
     * Every order of the inputs a task can meet (each subset of up to all eight, each
     * permutation); then the world settles: the process exits if it has not, and every timer the
     * table started and did not cancel fires. Exactly one exit reaches the owner unless the owner
     * stopped, at most one result, the result before the exit, nothing after it, and the table
     * lets the task go exactly once.
     */
    @Test
    void exactlyOneExitForEveryInterleaving() {
        Input[] all = Input.values();
        int runs = 0;
        for (int mask = 0; mask < 1 << all.length; mask++) {
            List<Input> chosen = new ArrayList<>();
            for (int i = 0; i < all.length; i++) {
                if ((mask & 1 << i) != 0) {
                    chosen.add(all[i]);
                }
            }
            runs += permute(chosen, 0);
        }
        assertEquals(109_601, runs, "every ordered subset of the eight inputs");
    }

    private int permute(List<Input> l, int k) {
        if (k == l.size()) {
            runScenario(l);
            return 1;
        }
        int n = 0;
        for (int i = k; i < l.size(); i++) {
            java.util.Collections.swap(l, k, i);
            n += permute(l, k + 1);
            java.util.Collections.swap(l, k, i);
        }
        return n;
    }

    private void runScenario(List<Input> inputs) {
        TaskTable<String> t = new TaskTable<>();
        List<Effect<String>> log = new ArrayList<>(t.started(T, "F", true, "a", false, false, Duration.ofMinutes(1)));
        boolean exited = false;
        boolean ownerStopped = false;
        for (Input in : inputs) {
            switch (in) {
                case RESULT, DUPLICATE_RESULT -> log.addAll(t.resultArrived(result(T), false));
                case EXIT -> {
                    exited = true;
                    log.addAll(t.exited(T, false));
                }
                case KILL -> log.addAll(t.kill(T));
                case TIME_LIMIT -> log.addAll(fireIfArmed(t, log, new StartTimeLimit<>(T, Duration.ofMinutes(1))));
                case OWNER_STOPPED -> {
                    ownerStopped = true;
                    log.addAll(t.ownerStopped("a"));
                }
                case HOST_LOST -> log.addAll(t.hostLost(HOST, "gone"));
                case KILL_ALL -> log.addAll(t.killAll());
            }
        }
        if (!exited) {
            log.addAll(t.exited(T, false));
        }
        for (Effect<String> timer : List.of(new StartResultGrace<String>(T), new StartKillGrace<String>(T),
                new StartTimeLimit<String>(T, Duration.ofMinutes(1)))) {
            log.addAll(fireIfArmed(t, log, timer));
        }
        String what = inputs.toString();
        assertFalse(t.contains(T), () -> what + ": the task ended");
        List<TaskEvent> events = delivered(log);
        long exits = events.stream().filter(e -> e instanceof MsgTaskExit).count();
        long results = events.stream().filter(e -> e instanceof MsgTaskResult).count();
        long ended = log.stream().filter(e -> e instanceof Ended).count();
        assertEquals(1, ended, () -> what + ": " + log);
        assertTrue(results <= 1, () -> what + ": " + events);
        if (ownerStopped) {
            assertTrue(exits <= 1, () -> what + ": " + events);
        } else {
            assertEquals(1, exits, () -> what + ": " + events);
            assertInstanceOf(MsgTaskExit.class, events.get(events.size() - 1), what);
        }
        int endAt = log.indexOf(log.stream().filter(e -> e instanceof Ended).findFirst().orElseThrow());
        assertTrue(log.subList(endAt + 1, log.size()).stream().allMatch(e -> e instanceof Deliver<String> d
                && d.event() instanceof MsgTaskExit), () -> what + ": nothing but the exit after the end: " + log);
        MsgTaskExit exit = (MsgTaskExit) events.stream().filter(e -> e instanceof MsgTaskExit).findFirst().orElse(null);
        if (exit != null) {
            Set<Cause> possible = new HashSet<>(Set.of(Cause.EXITED, Cause.NO_RESULT, Cause.KILLED, Cause.TIME_LIMIT,
                    Cause.HOST_LOST));
            assertTrue(possible.contains(exit.cause()), what);
            if (!inputs.contains(Input.HOST_LOST) && exit.cause() == Cause.NO_RESULT) {
                assertEquals(0, results, () -> what + ": NO_RESULT only without a result");
            }
            if (exit.cause() == Cause.EXITED) {
                assertEquals(1, results, () -> what + ": EXITED comes after the result owed");
            }
        }
    }

    /** Fires a timer the table started (and did not cancel by ending the task since). */
    private static List<Effect<String>> fireIfArmed(TaskTable<String> t, List<Effect<String>> log, Effect<String> start) {
        int startedAt = log.lastIndexOf(start);
        boolean ended = log.stream().anyMatch(e -> e instanceof Ended);
        if (startedAt < 0 || ended) {
            return List.of();
        }
        if (start instanceof StartResultGrace) {
            return t.graceExpired(T);
        } else if (start instanceof StartKillGrace) {
            return t.killGraceExpired(T);
        }
        return t.timeLimitExpired(T);
    }
}
