package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgSpawnFailed;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.MsgTaskStarted;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.Echo;
import org.pvmakka.tests.fn.PidReporter;
import org.pvmakka.tests.fn.Point;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Source;
import org.pvmakka.tests.fn.Square;
import org.pvmakka.tests.fn.Thrower;

/**
 * The actor runtime (bridge, spawner, host monitor, core counter) over a single-host VM, run
 * unchanged on a real pvmd ({@link RuntimeIT}) and on the simulator ({@link SimulatedRuntimeTest}).
 * A subclass starts {@link #kit} and {@link #runtime} (with the tests' wire registrar and a
 * {@code result-grace} of 300 ms) in its {@code @BeforeAll} and waits until the VM is up.
 */
abstract class RuntimeContract {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static final Duration LONG = Duration.ofSeconds(60);

    /** The cores the reporter task measures on the VM's host. */
    abstract int expectedCores();

    /**
     * Ends a worker behind the runtime's back, without a result: SIGKILL of its JVM, or a
     * simulated kill.
     *
     * @param pid the process ID the worker reported
     */
    abstract void killBehindTheRuntimesBack(TaskId task, long pid);

    /** Starts a task of another program in the VM; closing it ends that task. */
    abstract AutoCloseable startAnotherProgramsTask() throws Exception;

    static VmStatus status() {
        return RuntimeFixture.of(kit, runtime).status();
    }

    static StatusReply<Spawned> spawn(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        return RuntimeFixture.of(kit, runtime).spawn(spec, owner);
    }

    static List<TaskId> spawnOk(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        return RuntimeFixture.of(kit, runtime).spawnOk(spec, owner).tasks();
    }

    /** Receives this task's result (when expected) and exit, and checks nothing else terminal comes. */
    static MsgTaskExit expectEnd(TestProbe<TaskEvent> owner, TaskId t, MsgTaskResult[] resultOut) {
        while (true) {
            TaskEvent e = owner.receiveMessage(LONG);
            assertEquals(t, e.taskId());
            if (e instanceof MsgTaskResult r) {
                assertTrue(resultOut[0] == null, "only one result");
                resultOut[0] = r;
            } else if (e instanceof MsgTaskExit x) {
                owner.expectNoMessage(Duration.ofMillis(600));
                return x;
            }
        }
    }

    @Test
    void everyEventOfASpawnCarriesItsCorrelationKeyAndStartedComesFirst() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        List<TaskId> tasks = spawnOk(SpawnSpec.of(Source.class, 3).withCount(2).withOvercommit(true)
                .withCorrelation("job-7").withStartedEvents(true), owner.getRef());
        java.util.Map<TaskId, List<TaskEvent>> byTask = new java.util.HashMap<>();
        int exits = 0;
        while (exits < tasks.size()) {
            TaskEvent e = owner.receiveMessage(LONG);
            assertEquals("job-7", e.correlation(), e::toString);
            byTask.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
            if (e instanceof MsgTaskExit) {
                exits++;
            }
        }
        assertEquals(new java.util.HashSet<>(tasks), byTask.keySet());
        for (List<TaskEvent> events : byTask.values()) {
            assertInstanceOf(MsgTaskStarted.class, events.get(0), "started first: " + events);
            assertEquals(Source.class.getName(), ((MsgTaskStarted) events.get(0)).function());
            assertEquals(List.of(0, 1, 2), events.stream().filter(ev -> ev instanceof TaskMessage)
                    .map(ev -> ((TaskMessage) ev).message()).toList());
            assertEquals(3, assertInstanceOf(MsgTaskResult.class, events.get(events.size() - 2)).value());
            assertEquals(MsgTaskExit.Cause.EXITED, assertInstanceOf(MsgTaskExit.class, events.get(events.size() - 1))
                    .cause());
        }
    }

    @Test
    void statusShowsTheHostWithItsMeasuredCores() {
        VmStatus s = status();
        assertEquals(1, s.hosts().size());
        HostStatus h = s.hosts().get(0);
        assertEquals(expectedCores(), h.cores(), "measured by the reporter task");
        assertTrue(h.responsive());
        assertEquals(1, s.architectures());
        assertEquals(h.cores(), s.slots());
        String table = s.format();
        assertTrue(table.contains(h.id().name()) && table.contains(Integer.toHexString(h.id().dtid())), table);
    }

    @Test
    void resultReachesTheCallerBeforeTheExit() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnOk(SpawnSpec.of(Square.class, 7), owner.getRef()).get(0);
        MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG));
        assertTrue(r.success());
        assertEquals(49, r.value());
        MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG));
        assertEquals(t, x.taskId());
        assertEquals(MsgTaskExit.Cause.EXITED, x.cause());
        owner.expectNoMessage(Duration.ofMillis(600));
    }

    @Test
    void throwingFunctionGivesExactlyOneFailedResultThenExit() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnOk(SpawnSpec.of(Thrower.class, "q"), owner.getRef()).get(0);
        MsgTaskResult[] r = new MsgTaskResult[1];
        MsgTaskExit x = expectEnd(owner, t, r);
        assertFalse(r[0].success());
        assertEquals("boom: q", r[0].error().message());
        assertEquals(MsgTaskExit.Cause.EXITED, x.cause());
    }

    @Test
    void workerKilledWithSigkillGivesExactlyOneExitWithoutResult() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnOk(SpawnSpec.of(PidReporter.class, 60_000), owner.getRef()).get(0);
        TaskMessage pid = assertInstanceOf(TaskMessage.class, owner.receiveMessage(LONG));
        killBehindTheRuntimesBack(t, (Long) pid.message());
        MsgTaskResult[] r = new MsgTaskResult[1];
        MsgTaskExit x = expectEnd(owner, t, r);
        assertEquals(null, r[0], "no result");
        assertEquals(MsgTaskExit.Cause.NO_RESULT, x.cause());
    }

    @Test
    void moreTasksThanFreeSlotsAreRefusedUnlessOvercommitted() {
        int free = status().freeSlots();
        assertTrue(free > 0);
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        StatusReply<Spawned> refused = spawn(SpawnSpec.of(Square.class, 2).withCount(free + 1), owner.getRef());
        assertTrue(refused.isError());
        assertTrue(refused.getError().getMessage().contains("only " + free + " free slot"),
                refused.getError().getMessage());
        // the owner is told too, with the same reason and the spawn's correlation key
        MsgSpawnFailed told = assertInstanceOf(MsgSpawnFailed.class, owner.receiveMessage(LONG));
        assertEquals(refused.getError().getMessage(), told.reason());
        assertEquals(0, told.started());
        owner.expectNoMessage(Duration.ofMillis(200));
        List<TaskId> tasks = spawnOk(SpawnSpec.of(Square.class, 2).withCount(free + 1).withOvercommit(true),
                owner.getRef());
        assertEquals(free + 1, tasks.size());
        Set<TaskId> results = new HashSet<>();
        Set<TaskId> exits = new HashSet<>();
        while (exits.size() < tasks.size()) {
            TaskEvent e = owner.receiveMessage(LONG);
            if (e instanceof MsgTaskResult r) {
                assertEquals(4, r.value());
                assertFalse(exits.contains(r.taskId()), "result before exit");
                assertTrue(results.add(r.taskId()));
            } else if (e instanceof MsgTaskExit x) {
                assertTrue(exits.add(x.taskId()));
            }
        }
        assertEquals(new HashSet<>(tasks), results);
    }

    @Test
    void fillEveryFreeSlotWhenNoCountIsGiven() {
        int free = status().freeSlots();
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        List<TaskId> tasks = spawnOk(SpawnSpec.of(Square.class, 3).fillFreeSlots(), owner.getRef());
        assertEquals(free, tasks.size());
        int exits = 0;
        while (exits < tasks.size()) {
            if (owner.receiveMessage(LONG) instanceof MsgTaskExit) {
                exits++;
            }
        }
    }

    @Test
    void messagesRoundTripBothWays() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnOk(SpawnSpec.of(Echo.class), owner.getRef()).get(0);
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        for (int i = 0; i < 20; i++) {
            Point p = new Point(i, i * 2, "p" + i);
            runtime.tell(new PvmCommand.SendMessage(t, p, ack.getRef()));
            assertTrue(ack.receiveMessage(LONG).isSuccess());
            TaskMessage m = assertInstanceOf(TaskMessage.class, owner.receiveMessage(LONG));
            assertEquals(t, m.sender());
            assertEquals(p, m.message());
        }
        runtime.tell(new PvmCommand.SendMessage(t, "stop", ack.getRef()));
        MsgTaskResult[] r = new MsgTaskResult[1];
        expectEnd(owner, t, r);
        assertEquals(20, r[0].value());
    }

    @Test
    void killAllLeavesTheSpawnerAliveAndOtherProgramsTasksUntouched() throws Exception {
        try (AutoCloseable other = startAnotherProgramsTask()) {
            int before = 0;
            for (int i = 0; i < 100 && (before = status().hosts().get(0).tasks()) == 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(1, before, "the other program is a task of the VM");
            TestProbe<TaskEvent> owner = kit.createTestProbe();
            List<TaskId> tasks = spawnOk(SpawnSpec.of(Sleeper.class, 60_000).withCount(2).withOvercommit(true),
                    owner.getRef());
            TestProbe<StatusReply<Integer>> killed = kit.createTestProbe();
            runtime.tell(new PvmCommand.KillAll(killed.getRef()));
            assertEquals(2, killed.receiveMessage(LONG).getValue());
            Set<TaskId> ended = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG));
                assertEquals(MsgTaskExit.Cause.KILLED, x.cause());
                ended.add(x.taskId());
            }
            assertEquals(new HashSet<>(tasks), ended);
            assertEquals(1, status().hosts().get(0).tasks(), "only the other program's task is left");
            assertTrue(status().tasks().isEmpty());
            // the spawner still serves
            TaskId again = spawnOk(SpawnSpec.of(Square.class, 5), owner.getRef()).get(0);
            MsgTaskResult[] r = new MsgTaskResult[1];
            expectEnd(owner, again, r);
            assertEquals(25, r[0].value());
        }
    }

    @Test
    void theBridgeSurvivesPvmErrorsAndRepliesWithThem() {
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        runtime.tell(new PvmCommand.SendMessage(new TaskId(0x40000 | 0x3fff0), "x", ack.getRef()));
        StatusReply<Done> noTask = ack.receiveMessage(LONG);
        assertTrue(noTask.isError());
        assertTrue(noTask.getError().getMessage().contains("PvmNoTask"), noTask.getError().getMessage());
        runtime.tell(new PvmCommand.SendMessage(new TaskId(-3), "x", ack.getRef()));
        assertTrue(ack.receiveMessage(LONG).getError().getMessage().contains("invalid task ID"));
        runtime.tell(new PvmCommand.SendMessage(new TaskId(0x40001), new StringBuilder(), ack.getRef()));
        assertTrue(ack.receiveMessage(LONG).getError().getMessage().contains("StringBuilder is not registered"));
        runtime.tell(new PvmCommand.KillTask(new TaskId(0x4fff1), ack.getRef()));
        assertTrue(ack.receiveMessage(LONG).isError());
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        StatusReply<Spawned> unknownHost = spawn(SpawnSpec.of(Square.class, 1)
                .withTargets(List.of(new HostId(0x7ff00000, "nowhere"))), owner.getRef());
        assertTrue(unknownHost.getError().getMessage().contains("unknown target host"), unknownHost.getError().getMessage());
        assertInstanceOf(MsgSpawnFailed.class, owner.receiveMessage(LONG)); // the owner is told too
        // and it keeps serving
        TaskId t = spawnOk(SpawnSpec.of(Square.class, 6), owner.getRef()).get(0);
        MsgTaskResult[] r = new MsgTaskResult[1];
        expectEnd(owner, t, r);
        assertEquals(36, r[0].value());
        TestProbe<StatusReply<Done>> alive = kit.createTestProbe();
        runtime.tell(new PvmCommand.Alive(alive.getRef()));
        assertTrue(alive.receiveMessage(LONG).isSuccess());
    }

    @Test
    void spawnsManyTasksAndEveryOneEndsExactlyOnce() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        List<TaskId> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(spawnOk(SpawnSpec.of(Square.class, i).withCount(2).withOvercommit(true), owner.getRef()));
        }
        Set<TaskId> exits = new HashSet<>();
        int results = 0;
        while (exits.size() < all.size()) {
            TaskEvent e = owner.receiveMessage(LONG);
            if (e instanceof MsgTaskExit x) {
                assertTrue(exits.add(x.taskId()), "one exit per task");
                assertEquals(MsgTaskExit.Cause.EXITED, x.cause());
            } else if (e instanceof MsgTaskResult) {
                results++;
            }
        }
        assertEquals(all.size(), results);
        owner.expectNoMessage(Duration.ofMillis(500));
    }

    /**
     * A burst of messages sent without waiting is coalesced into batches by the bridge; with big
     * messages (sent alone) in between, every message still arrives once, in order, intact, and
     * every sender gets its ack.
     */
    @Test
    void aBurstOfMessagesArrivesInOrderWithBigOnesInBetween() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = spawnOk(SpawnSpec.of(Echo.class), owner.getRef()).get(0);
        TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
        int n = 3000;
        for (int i = 0; i < n; i++) {
            Object o = i % 500 == 7 ? new byte[20_000 + i] : i % 3 == 0 ? new Point(i, -i, "p" + i) : (Object) i;
            runtime.tell(new PvmCommand.SendMessage(t, o, ack.getRef()));
        }
        for (int i = 0; i < n; i++) {
            TaskMessage m = assertInstanceOf(TaskMessage.class, owner.receiveMessage(LONG));
            Object o = m.message();
            if (i % 500 == 7) {
                assertEquals(20_000 + i, ((byte[]) o).length, "message " + i);
            } else if (i % 3 == 0) {
                assertEquals(new Point(i, -i, "p" + i), o, "message " + i);
            } else {
                assertEquals(i, o, "message " + i);
            }
        }
        for (int i = 0; i < n; i++) {
            assertTrue(ack.receiveMessage(LONG).isSuccess());
        }
        runtime.tell(new PvmCommand.SendMessage(t, "stop", ack.getRef()));
        MsgTaskResult[] r = new MsgTaskResult[1];
        expectEnd(owner, t, r);
        assertEquals(n, r[0].value());
    }
}
