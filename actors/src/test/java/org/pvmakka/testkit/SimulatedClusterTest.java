package org.pvmakka.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.bridge.HostResult;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.InboundWatcher;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.internal.worker.FunctionLauncher;
import org.pvmakka.internal.worker.HostInfoReporter;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.task.HostId;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedPvm;

/** What only the simulator has: hosts as declared, fault injection, delays, determinism. */
class SimulatedClusterTest {
    static final int TAG_EXIT = 901;
    static final int TAG_HOST_DELETE = 902;
    static final int TAG_HOST_ADD = 903;

    final WireCodec codec = WireCodec.defaults();
    SimulatedCluster cluster;
    SimulatedPvm pvm;
    FunctionLauncher launcher;

    /** Sleeps for its argument in milliseconds, then returns "slept". */
    public static final class Nap implements TaskFunction {
        @Override
        public Object run(TaskContext context, List<Object> args) throws InterruptedException {
            Thread.sleep(((Number) args.get(0)).longValue());
            return "slept";
        }
    }

    /** Tells its parent it runs, then sleeps for its argument in milliseconds; counts interrupts. */
    public static final class Blocker implements TaskFunction {
        static final AtomicInteger INTERRUPTED = new AtomicInteger();

        @Override
        public Object run(TaskContext context, List<Object> args) throws InterruptedException {
            context.send(context.parentId(), "running");
            try {
                Thread.sleep(((Number) args.get(0)).longValue());
            } catch (InterruptedException e) {
                INTERRUPTED.incrementAndGet();
                throw e;
            }
            return "slept";
        }
    }

    /** Sends its parent the numbers 0..n-1, then returns n. */
    public static final class Counter implements TaskFunction {
        @Override
        public Object run(TaskContext context, List<Object> args) {
            int n = (Integer) args.get(0);
            for (int i = 0; i < n; i++) {
                context.send(context.parentId(), i);
            }
            return n;
        }
    }

    /** Counts as {@link Counter} does, after a pause (so that a test can hang its host before it sends). */
    public static final class LateCounter implements TaskFunction {
        @Override
        public Object run(TaskContext context, List<Object> args) throws InterruptedException {
            Thread.sleep(150);
            int n = (Integer) args.get(0);
            for (int i = 0; i < n; i++) {
                context.send(context.parentId(), i);
            }
            return n;
        }
    }

    void start(long seed, int masterCores, String... workers) {
        cluster = new SimulatedCluster(seed);
        cluster.addHost("master", masterCores);
        for (String w : workers) {
            cluster.addHost(w, "LINUX64", 2000, 8);
        }
        pvm = cluster.attach();
        pvm.mytid();
        launcher = new FunctionLauncher(pvm, codec, WireSettings.defaults(), WorkerCommand.forCurrentJvm());
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    List<TaskId> spawn(Class<?> fn, String host, int count, Object... args) {
        List<SpawnResult> r = launcher.spawn(new SpawnRequest(fn.getName(), List.of(args), true), host == null ? 0 : 1,
                host, count);
        List<TaskId> out = new ArrayList<>();
        for (SpawnResult s : r) {
            assertTrue(s.started(), () -> "spawn failed: " + s);
            out.add(s.taskId());
        }
        return out;
    }

    Inbound next(double seconds) {
        return pvm.receive(Pvm.ANY, Pvm.ANY, seconds).orElseThrow(() -> new AssertionError("nothing within " + seconds + " s"));
    }

    WireResult resultOf(TaskId t) {
        Inbound.Message m = assertInstanceOf(Inbound.Message.class, pvm.receive(t.tid(), WireTags.RESULT, 10).orElseThrow());
        return codec.decode(m.data(), WireResult.class);
    }

    @Test
    void hostsAndTasksGetPvmsIdsInAddOrderNeverReused() {
        start(1, 2, "node1", "node2");
        assertEquals(List.of(0x40000, 0x80000, 0xc0000), cluster.hosts().stream().map(h -> h.dtid()).toList());
        assertEquals(0x40001, pvm.mytid(), "the runtime enrolls on the master host");
        TaskId onNode2 = spawn(Nap.class, "node2", 1, 0).get(0);
        assertEquals(0xc0001, onNode2.tid());
        assertEquals(0xc0000, pvm.tidToHost(onNode2.tid()));
        resultOf(onNode2);
        cluster.failHost("node2");
        assertEquals(0x100000, cluster.addHost("node3", 1).dtid(), "dtids are never reused");
        pvm.exit();
        assertEquals(0x40002, pvm.mytid(), "enrolling again gives a new tid");
    }

    @Test
    void theReporterAnswersWithTheDeclaredHostAndCores() {
        start(1, 3, "big");
        for (String host : List.of("master", "big")) {
            TaskId t = spawn(HostInfoReporter.class, host, 1).get(0);
            HostReport r = assertInstanceOf(HostReport.class, resultOf(t).value());
            assertEquals(host, r.hostName());
            assertEquals(host.equals("master") ? 3 : 8, r.cores());
        }
    }

    @Test
    void aFailedHostsTasksDieAndItsNotifiesFireInRegistrationOrder() {
        start(1, 2, "node1", "node2");
        int node1 = cluster.host("node1").orElseThrow().dtid();
        pvm.notify(NotifyKind.HOST_DELETE, TAG_HOST_DELETE, new int[] {node1});
        Blocker.INTERRUPTED.set(0);
        List<TaskId> tasks = spawn(Blocker.class, "node1", 2, 60_000);
        pvm.notify(NotifyKind.TASK_EXIT, TAG_EXIT, tasks.stream().mapToInt(TaskId::tid).toArray());
        for (int i = 0; i < 2; i++) {
            assertTrue(pvm.receive(Pvm.ANY, WireTags.USER, 5).isPresent(), "both functions run");
        }
        cluster.failHost("node1");
        // the launcher watched its tasks (tag TASK_EXIT) before this test did (TAG_EXIT)
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Inbound.Notification n = assertInstanceOf(Inbound.Notification.class, next(5));
            assertEquals(TaskId.TIDPVMD, n.source());
            got.add(n.kind() + " " + n.tag() + " " + n.ids());
        }
        int t0 = tasks.get(0).tid();
        int t1 = tasks.get(1).tid();
        assertEquals(List.of("HOST_DELETE " + TAG_HOST_DELETE + " [" + node1 + "]",
                "TASK_EXIT " + WireTags.TASK_EXIT + " [" + t0 + "]", "TASK_EXIT " + WireTags.TASK_EXIT + " [" + t1 + "]",
                "TASK_EXIT " + TAG_EXIT + " [" + t0 + "]", "TASK_EXIT " + TAG_EXIT + " [" + t1 + "]"), got,
                "in registration order, as pvmd walks its wait list");
        assertTrue(pvm.receive(Pvm.ANY, Pvm.ANY, 0.3).isEmpty(), "no result from a task that died");
        assertEquals(List.of("master", "node2"), pvm.config().hosts().stream().map(h -> h.name()).toList());
        assertEquals(PvmError.NO_TASK, pvm.taskStatus(tasks.get(0).tid()));
        waitUntil(() -> Blocker.INTERRUPTED.get() == 2, "the dead tasks' function threads were interrupted");
        // PVM's choice never lands on the failed host
        for (TaskId t : spawn(Nap.class, null, 4, 0)) {
            assertNotEquals(node1, t.hostDtid());
        }
    }

    @Test
    void aKilledTaskEndsWithTaskExitAfterWhatItSent() {
        start(1, 2);
        TaskId t = spawn(Nap.class, null, 1, 60_000).get(0);
        pvm.notify(NotifyKind.TASK_EXIT, TAG_EXIT, new int[] {t.tid()});
        cluster.killTask(t);
        Inbound.Notification n = assertInstanceOf(Inbound.Notification.class, next(5));
        assertEquals(List.of(t.tid()), n.ids());
        assertThrows(IllegalArgumentException.class, () -> cluster.killTask(t));
    }

    @Test
    void aWorkerStopsWhenItsParentLeavesPvm() {
        start(1, 2, "node1");
        Blocker.INTERRUPTED.set(0);
        TaskId child = spawn(Blocker.class, "node1", 1, 60_000).get(0);
        assertTrue(pvm.receive(child.tid(), WireTags.USER, 5).isPresent(), "the function runs");
        SimulatedPvm observer = cluster.attach(); // another process, watching the child
        observer.notify(NotifyKind.TASK_EXIT, TAG_EXIT, new int[] {child.tid()});
        pvm.exit();
        Inbound.Notification n = assertInstanceOf(Inbound.Notification.class,
                observer.receive(TaskId.TIDPVMD, TAG_EXIT, 5).orElseThrow());
        assertEquals(List.of(child.tid()), n.ids(), "the orphan ended (it watches its parent, as in a worker JVM)");
        waitUntil(() -> Blocker.INTERRUPTED.get() == 1, "its function thread was interrupted");
        observer.exit();
    }

    @Test
    void anUnresponsiveHostFailsSpawnsWithHostFailAndHoldsMessagesUntilItAnswers() {
        start(1, 2, "slow");
        TaskId counter = spawn(Counter.class, "slow", 1, 0).get(0); // ends at once; its exit is not watched
        resultOf(counter);
        cluster.setUnresponsive("slow", true);
        List<SpawnResult> r = launcher.spawn(new SpawnRequest(Nap.class.getName(), List.of(0), true), 1, "slow", 2);
        assertEquals(List.of(PvmError.HOST_FAIL, PvmError.HOST_FAIL), r.stream().map(SpawnResult::error).toList());
        cluster.setUnresponsive("slow", false);
        TaskId talker = spawn(LateCounter.class, "slow", 1, 3).get(0);
        cluster.setUnresponsive("slow", true); // before it sends (it waits 150 ms)
        // whatever the worker sends while its host hangs stays there...
        assertTrue(pvm.receive(talker.tid(), Pvm.ANY, 0.3).isEmpty());
        cluster.setUnresponsive("slow", false);
        // ...and arrives, in order, once it answers again
        for (int i = 0; i < 3; i++) {
            Inbound.Message m = assertInstanceOf(Inbound.Message.class, pvm.receive(talker.tid(), WireTags.USER, 5).orElseThrow());
            assertEquals(i, codec.decode(m.data()));
        }
        assertEquals(3, resultOf(talker).value());
    }

    @Test
    void delayedMessagesKeepEachSendersOrderAndReplayWithTheSameSeed() {
        List<String> first = delayedRun(7);
        List<String> second = delayedRun(7);
        assertEquals(first, second, "the same seed gives the same delays");
        assertNotEquals(first, delayedRun(8), "another seed, other delays");
    }

    private List<String> delayedRun(long seed) {
        start(seed, 2);
        cluster.delayMessages(Duration.ofMillis(1), Duration.ofMillis(30));
        int me = pvm.mytid();
        for (int i = 0; i < 20; i++) {
            pvm.send(me, 77, new byte[] {(byte) i});
        }
        for (int i = 0; i < 20; i++) {
            Inbound.Message m = assertInstanceOf(Inbound.Message.class, pvm.receive(me, 77, 5).orElseThrow());
            assertEquals(i, m.data()[0], "per-sender order is kept");
        }
        List<String> delays = cluster.journal().stream().filter(e -> e.contains("delayed")).toList();
        assertEquals(20, delays.size());
        cluster.close();
        return delays;
    }

    @Test
    void aWorkersMessagesArriveInOrderDespiteDelays() {
        start(3, 2, "node1");
        cluster.delayMessages(Duration.ZERO, Duration.ofMillis(20));
        TaskId t = spawn(Counter.class, "node1", 1, 25).get(0);
        for (int i = 0; i < 25; i++) {
            Inbound.Message m = assertInstanceOf(Inbound.Message.class, pvm.receive(t.tid(), WireTags.USER, 5).orElseThrow());
            assertEquals(i, codec.decode(m.data()));
        }
        assertEquals(25, resultOf(t).value());
    }

    @Test
    void addedHostsAreAnnouncedAndAFailedHostCanBeAddedAgainWithANewDtid() {
        start(1, 2, "node1");
        pvm.notify(NotifyKind.HOST_ADD, TAG_HOST_ADD, null);
        HostId n2 = cluster.addHost("node2", 4);
        Inbound.Notification add = assertInstanceOf(Inbound.Notification.class, next(5));
        assertEquals(NotifyKind.HOST_ADD, add.kind());
        assertEquals(List.of(n2.dtid()), add.ids());
        cluster.failHost("node1");
        List<HostResult> again = pvm.addHosts(List.of("node1", "node2", "nowhere"));
        assertTrue(again.get(0).ok());
        assertEquals(0x100000, again.get(0).code(), "a new dtid");
        assertEquals(PvmError.DUP_HOST, again.get(1).error());
        assertEquals(PvmError.NO_HOST, again.get(2).error());
        Inbound.Notification add2 = assertInstanceOf(Inbound.Notification.class, next(5));
        assertEquals(List.of(0x100000), add2.ids());
    }

    @Test
    void failingTheMasterLosesTheWholeVm() throws InterruptedException {
        start(1, 2, "node1");
        spawn(Nap.class, "node1", 1, 60_000);
        CountDownLatch woke = new CountDownLatch(1);
        InboundWatcher w = pvm.watchInbound(woke::countDown);
        w.arm();
        cluster.failHost("master");
        assertTrue(woke.await(5, TimeUnit.SECONDS), "the owner is told to look");
        PvmException e = assertThrows(PvmException.class, () -> pvm.receive(Pvm.ANY, Pvm.ANY, 0));
        assertEquals(PvmError.SYS_ERR, e.error());
        assertTrue(cluster.tasks().isEmpty());
        assertThrows(IllegalStateException.class, () -> cluster.addHost("late", 1));
        w.close();
    }

    @Test
    void theWatcherCallsBackOnceWhenAMessageWaits() throws InterruptedException {
        start(1, 2);
        int me = pvm.mytid();
        CountDownLatch calls = new CountDownLatch(2);
        InboundWatcher w = pvm.watchInbound(calls::countDown);
        w.arm();
        assertFalse(calls.await(100, TimeUnit.MILLISECONDS), "nothing waits yet");
        pvm.send(me, 5, new byte[0]);
        waitUntil(() -> calls.getCount() == 1, "called back once");
        pvm.send(me, 5, new byte[0]);
        assertFalse(calls.await(100, TimeUnit.MILLISECONDS), "not again before it is re-armed");
        w.arm();
        assertTrue(calls.await(5, TimeUnit.SECONDS), "re-armed with a message waiting: at once");
        w.close();
        assertThrows(IllegalStateException.class, () -> runOnOtherThread(w::arm), "arm belongs to the owner");
    }

    @Test
    void onlyWorkerCommandLinesCanBeSpawnedAndPlacementFollowsPvmd() {
        start(1, 2, "node1", "node2");
        PvmException e = assertThrows(PvmException.class, () -> pvm.spawn("/bin/sleep", List.of("1"), 0, null, 1));
        assertEquals(PvmError.NOT_IMPL, e.error());
        // assign_tasks: contiguous runs over min(hosts, count) hosts, round robin from after the master
        List<TaskId> four = spawn(Nap.class, null, 4, 0);
        assertEquals(List.of(0x80000, 0x80000, 0xc0000, 0x40000), four.stream().map(TaskId::hostDtid).toList(),
                "runs of count/hosts slots, starting on the host after the master");
        assertEquals(0x80000, spawn(Nap.class, null, 1, 0).get(0).hostDtid(), "the next spawn goes on round robin");
    }

    static void waitUntil(java.util.function.BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.onSpinWait();
        }
    }

    static void runOnOtherThread(Runnable r) {
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (seen[0] instanceof RuntimeException re) {
            throw re;
        }
    }
}
