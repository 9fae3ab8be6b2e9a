package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.bridge.HostInfo;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.PvmOption;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.bridge.VmConfig;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.internal.worker.FunctionLauncher;
import org.pvmakka.internal.worker.HostInfoReporter;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskId;
import org.pvmakka.task.WireException;
import org.pvmakka.tests.fn.Echo;
import org.pvmakka.tests.fn.Point;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;
import org.pvmakka.tests.fn.TestRegistrar;
import org.pvmakka.tests.fn.Thrower;

/**
 * The contract of {@link Pvm}, run unchanged against a real pvmd ({@link RealPvmContractIT}) and
 * against the simulator ({@link SimulatedPvmContractTest}): enroll, config, spawn workers, results,
 * messages, notifies, errors. Where the two differ, the simulator is wrong. A subclass sets
 * {@link #pvm} (enrolled, owned by the test thread, on a single-host VM) in its {@code @BeforeAll}
 * and calls {@link #useWire()}.
 */
abstract class PvmContract {
    static Pvm pvm;
    static WireSettings wire;
    static WireCodec codec;
    static FunctionLauncher launcher;

    /** Builds the codec and launcher for {@link #pvm}. */
    static void useWire() {
        wire = WireSettings.defaults().withRegistrar(TestRegistrar.class);
        codec = new WireCodec(wire);
        launcher = new FunctionLauncher(pvm, codec, wire, WorkerCommand.forCurrentJvm());
    }

    /** The cores the reporter task measures on the VM's host. */
    abstract int expectedCores();

    /** The maximum message size {@link #pvm} was opened with. */
    abstract int maxMessageBytes();

    /** Another handle of the same process with another maximum message size, owned by the test thread. */
    abstract Pvm sameProcessWithMaxMessageBytes(int max);

    static TaskId spawnOne(Class<?> fn, Object... args) {
        List<SpawnResult> r = launcher.spawn(new SpawnRequest(fn.getName(), List.of(args), true), 0, null, 1);
        assertEquals(1, r.size());
        assertTrue(r.get(0).started(), () -> "spawn failed: " + r.get(0));
        return r.get(0).taskId();
    }

    /** Receives until the task's result and its TaskExit notify have both arrived; result first. */
    static WireResult resultAndExit(TaskId task) {
        WireResult result = null;
        boolean exited = false;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!exited && System.nanoTime() < deadline) {
            Optional<Inbound> in = pvm.receive(Pvm.ANY, Pvm.ANY, 1.0);
            if (in.isEmpty()) {
                continue;
            }
            if (in.get() instanceof Inbound.Message m && m.tag() == WireTags.RESULT && m.source() == task.tid()) {
                assertNull(result, "a second result");
                result = codec.decode(m.data(), WireResult.class);
            } else if (in.get() instanceof Inbound.Notification n && n.kind() == NotifyKind.TASK_EXIT
                    && n.ids().contains(task.tid())) {
                exited = true;
            }
        }
        assertTrue(exited, "no TaskExit notify for " + task);
        assertTrue(result != null, "no result from " + task + " before its exit");
        return result;
    }

    @Test
    void enrollsAndReadsConfig() {
        int me = pvm.mytid();
        assertTrue(me > 0);
        VmConfig c = pvm.config();
        assertEquals(1, c.hosts().size());
        assertEquals(1, c.architectures());
        HostInfo h = c.hosts().get(0);
        assertEquals(pvm.tidToHost(me), h.dtid());
        assertTrue(h.arch().startsWith("LINUX"), h.arch());
        assertFalse(h.name().isBlank());
        assertTrue(pvm.parent().isEmpty(), "the test JVM was not spawned by PVM");
        List<TaskInfo> tasks = pvm.tasks(0);
        assertTrue(tasks.stream().anyMatch(t -> t.tid() == me), "pvm_tasks lists this JVM");
    }

    @Test
    void spawnedFunctionSendsBackItsResultThenExits() {
        TaskId t = spawnOne(Square.class, 12);
        WireResult r = resultAndExit(t);
        assertTrue(r.success(), () -> "failed: " + r.error());
        assertEquals(144, r.value());
        assertEquals(t, r.taskId());
        assertEquals(pvm.config().hosts().get(0).dtid(), t.hostDtid());
    }

    @Test
    void throwingFunctionGivesRemoteError() {
        TaskId t = spawnOne(Thrower.class, "x1");
        WireResult r = resultAndExit(t);
        assertFalse(r.success());
        assertNull(r.value());
        assertEquals(IllegalStateException.class.getName(), r.error().className());
        assertEquals("boom: x1", r.error().message());
        assertTrue(r.error().stackTrace().contains("Thrower.run"), r.error().stackTrace());
    }

    @Test
    void onlyTaskFunctionsAreRunAndMissingClassesAreNamed() {
        TaskId notFn = spawnOne(String.class);
        WireResult r = resultAndExit(notFn);
        assertFalse(r.success());
        assertTrue(r.error().message().contains("java.lang.String does not implement"), r.error().message());
        List<SpawnResult> s = launcher.spawn(new SpawnRequest("org.example.NoSuchFn", List.of(), true), 0, null, 1);
        WireResult missing = resultAndExit(s.get(0).taskId());
        assertFalse(missing.success());
        assertTrue(missing.error().message().contains("org.example.NoSuchFn is not on the worker's classpath"),
                missing.error().message());
    }

    @Test
    void objectsPingPongWithTheWorker() {
        TaskId t = spawnOne(Echo.class);
        List<Object> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Object o = i % 2 == 0 ? new Point(i, -i, "p" + i) : List.of("s", i, new byte[] {(byte) i});
            sent.add(o);
            pvm.send(t.tid(), WireTags.USER, codec.encode(o));
            Inbound.Message m = receiveMessage(t, WireTags.USER);
            Object back = codec.decode(m.data());
            if (o instanceof Point) {
                assertEquals(o, back);
            } else {
                List<?> l = (List<?>) back;
                assertEquals("s", l.get(0));
                assertEquals(i, l.get(1));
                assertEquals(i, ((byte[]) l.get(2))[0]);
            }
        }
        pvm.send(t.tid(), WireTags.USER, codec.encode("stop"));
        WireResult r = resultAndExit(t);
        assertEquals(sent.size(), r.value());
    }

    /**
     * Messages are staged in reused native buffers and packed in place: back-to-back messages of
     * growing, shrinking and oversize (above the kept 4 MiB) sizes, each overwriting the staging
     * buffer of the one before, all come back intact; so does a large message to this task itself
     * (packed by copy).
     */
    @Test
    void messagesOfEverySizeSurviveTheReusedStagingBuffers() {
        TaskId t = spawnOne(Echo.class);
        int[] sizes = {1, 100, 70_000, 1 << 20, 5 << 20, 10, 3 << 20, 64 * 1024, 0, 9 << 20, 2};
        for (int i = 0; i < sizes.length; i += 2) {
            int pair = Math.min(2, sizes.length - i);
            for (int k = 0; k < pair; k++) { // two in flight before either comes back
                pvm.send(t.tid(), WireTags.USER, codec.encode(pattern(sizes[i + k], i + k)));
            }
            for (int k = 0; k < pair; k++) {
                byte[] back = (byte[]) codec.decode(receiveMessage(t, WireTags.USER).data());
                assertTrue(java.util.Arrays.equals(pattern(sizes[i + k], i + k), back), "message " + (i + k) + " of "
                        + sizes[i + k] + " bytes came back changed");
            }
        }
        pvm.send(t.tid(), WireTags.USER, codec.encode("stop"));
        assertEquals(sizes.length, resultAndExit(t).value());

        int me = pvm.mytid();
        byte[] big = pattern(2 << 20, 7);
        pvm.send(me, 4244, big);
        pvm.send(me, 4244, pattern(100, 8)); // would overwrite a staged first message
        assertTrue(java.util.Arrays.equals(big, receiveMessage(new TaskId(me), 4244).data()));
        assertTrue(java.util.Arrays.equals(pattern(100, 8), receiveMessage(new TaskId(me), 4244).data()));
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >> 10));
        }
        return b;
    }

    static Inbound.Message receiveMessage(TaskId from, int tag) {
        Optional<Inbound> in = pvm.receive(from.tid(), tag, 30.0);
        assertTrue(in.isPresent(), "nothing from " + from + " within 30 s");
        return assertInstanceOf(Inbound.Message.class, in.get());
    }

    @Test
    void reporterSendsCoreCount() {
        TaskId t = spawnOne(HostInfoReporter.class);
        WireResult r = resultAndExit(t);
        HostReport rep = assertInstanceOf(HostReport.class, r.value());
        assertEquals(expectedCores(), rep.cores());
        assertEquals(pvm.config().hosts().get(0).name(), rep.hostName());
        assertFalse(rep.hostName().isBlank());
    }

    @Test
    void spawnOfMissingProgramReportsNoFilePerSlot() {
        List<SpawnResult> r = pvm.spawn("/nonexistent/pvm-akka-program", List.of(), 0, null, 2);
        assertEquals(2, r.size());
        for (SpawnResult s : r) {
            assertFalse(s.started());
            assertEquals(PvmError.NO_FILE, s.error());
        }
    }

    @Test
    void spawnOnUnknownHostReportsNoHost() {
        List<SpawnResult> r = pvm.spawn(WorkerCommand.currentJava(), List.of("-version"), 1, "no-such-host-pvmakka", 1);
        assertEquals(PvmError.NO_HOST, r.get(0).error());
    }

    @Test
    void relativeProgramIsRefusedBeforeCallingPvm() {
        PvmException e = assertThrows(PvmException.class, () -> pvm.spawn("java", List.of(), 0, null, 1));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    @Test
    void sendToAnInvalidTidFailsWithBadParam() {
        for (int bad : new int[] {0, -5, pvm.tidToHost(pvm.mytid())}) {
            PvmException e = assertThrows(PvmException.class, () -> pvm.send(bad, WireTags.USER, new byte[] {1}));
            assertEquals(PvmError.BAD_PARAM, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("pvm_send"), e.getMessage());
        }
    }

    @Test
    void aTaskThatDoesNotExistIsReportedAsNoTask() {
        TaskId gone = spawnOne(Square.class, 3);
        resultAndExit(gone);
        assertEquals(PvmError.NO_TASK, pvm.taskStatus(gone.tid()));
        assertEquals(PvmError.OK, pvm.taskStatus(pvm.mytid()));
        PvmException e = assertThrows(PvmException.class, () -> pvm.kill(gone.tid()));
        assertEquals(PvmError.NO_TASK, e.error());
        assertTrue(e.getMessage().contains("pvm_kill(" + gone + ")"), e.getMessage());
    }

    @Test
    void taskExitNotifyArrivesWhenAKilledWorkerEnds() {
        List<SpawnResult> r = launcher.spawn(new SpawnRequest(Sleeper.class.getName(), List.of(60_000), true), 0, null, 1);
        int tid = r.get(0).tid();
        pvm.kill(tid);
        Optional<Inbound> in = pvm.receive(TaskId.TIDPVMD, WireTags.TASK_EXIT, 30.0);
        Inbound.Notification n = assertInstanceOf(Inbound.Notification.class, in.orElseThrow());
        assertEquals(NotifyKind.TASK_EXIT, n.kind());
        assertEquals(List.of(tid), n.ids());
        assertTrue(pvm.receive(tid, WireTags.RESULT, 0).isEmpty(), "a killed task sends no result");
    }

    @Test
    void oversizePayloadIsRefusedBeforeSending() {
        byte[] big = new byte[maxMessageBytes() + 1];
        PvmException e = assertThrows(PvmException.class, () -> pvm.send(pvm.mytid(), WireTags.USER, big));
        assertTrue(e.getMessage().contains("exceeds the maximum message size"), e.getMessage());
        WireCodec small = new WireCodec(wire.withMaxMessageBytes(1024));
        WireException w = assertThrows(WireException.class, () -> small.encode(new byte[4096]));
        assertTrue(w.getMessage().contains("maximum message size of 1024"), w.getMessage());
    }

    @Test
    void unregisteredArgumentIsRefusedBeforeSpawning() {
        int before = pvm.tasks(0).size();
        WireException e = assertThrows(WireException.class, () -> launcher.spawn(
                new SpawnRequest(Square.class.getName(), List.of(new StringBuilder("x")), true), 0, null, 1));
        assertTrue(e.getMessage().contains("java.lang.StringBuilder is not registered"), e.getMessage());
        assertEquals(before, pvm.tasks(0).size(), "nothing was spawned");
    }

    @Test
    void messageToSelfRoundTripsAndOversizeInboundIsRefusedUnread() throws InterruptedException {
        int me = pvm.mytid();
        pvm.send(me, 4242, new byte[] {1, 2, 3});
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!pvm.probe(me, 4242) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(pvm.probe(me, 4242), "probe sees the waiting message");
        Inbound.Message m = assertInstanceOf(Inbound.Message.class, pvm.receive(me, 4242, 5).orElseThrow());
        assertEquals(3, m.data().length);
        assertEquals(3, m.data()[2]);
        assertTrue(pvm.receive(me, 4242, 0).isEmpty(), "poll returns empty");
        long t0 = System.nanoTime();
        assertTrue(pvm.receive(me, 4242, 0.2).isEmpty(), "timed receive returns empty");
        assertTrue(System.nanoTime() - t0 >= 150_000_000L, "timed receive waited");

        // the same process through a second handle whose maximum is 16 bytes
        Pvm small = sameProcessWithMaxMessageBytes(16);
        pvm.send(me, 4243, new byte[100]);
        Inbound in = small.receive(me, 4243, 5).orElseThrow();
        Inbound.Refused r = assertInstanceOf(Inbound.Refused.class, in);
        assertEquals(100, r.bytes());
        assertTrue(r.reason().contains("exceeds the maximum message size of 16 bytes"), r.reason());
    }

    @Test
    void callsFromAnotherThreadAreRefused() throws InterruptedException {
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                pvm.mytid();
            } catch (Throwable e) {
                seen[0] = e;
            }
        }, "intruder");
        t.start();
        t.join();
        assertInstanceOf(IllegalStateException.class, seen[0]);
        assertTrue(seen[0].getMessage().contains("not thread-safe"), seen[0].getMessage());
    }

    // what a real pvmd does, measured on PVM 3.4.6, that the runtime or its users may rely on

    static int hostDtid() {
        return pvm.config().hosts().get(0).dtid();
    }

    /** A dtid that names no host of the VM. */
    static int unknownDtid() {
        return pvm.config().hosts().stream().mapToInt(HostInfo::dtid).max().orElseThrow() + 0x40000;
    }

    static TaskId spawnSleeper() {
        List<SpawnResult> r = launcher.spawn(new SpawnRequest(Sleeper.class.getName(), List.of(60_000), true), 0, null, 1);
        assertTrue(r.get(0).started(), () -> "spawn failed: " + r.get(0));
        return r.get(0).taskId();
    }

    static Inbound.Notification notification(int tag, double seconds) {
        Optional<Inbound> in = pvm.receive(TaskId.TIDPVMD, tag, seconds);
        assertTrue(in.isPresent(), "no notify with tag " + tag + " within " + seconds + " s");
        return assertInstanceOf(Inbound.Notification.class, in.get());
    }

    @Test
    void tasksListsEnrolledAndSpawnedTasksWithParentFlagsAndProgram() {
        int me = pvm.mytid();
        TaskId sleeper = spawnSleeper();
        try {
            List<TaskInfo> all = pvm.tasks(0);
            TaskInfo self = all.stream().filter(t -> t.tid() == me).findFirst().orElseThrow();
            assertTrue(self.parentTid() <= 0, "an enrolled process has no parent: " + self);
            assertEquals(4, self.flags(), "pvm_tasks flags of an enrolled process");
            assertEquals("", self.name());
            TaskInfo child = all.stream().filter(t -> t.tid() == sleeper.tid()).findFirst().orElseThrow();
            assertEquals(me, child.parentTid());
            assertEquals(2, child.flags(), "pvm_tasks flags of a spawned task");
            assertEquals(WorkerCommand.currentJava(), child.name());
            assertEquals(hostDtid(), child.hostDtid());
            assertEquals(List.of(child), pvm.tasks(sleeper.tid()));
            assertTrue(pvm.tasks(hostDtid()).contains(child));
            assertEquals(List.of(), pvm.tasks(hostDtid() | 0x3fff0), "a tid of no task: nothing");
            PvmException e = assertThrows(PvmException.class, () -> pvm.tasks(unknownDtid()));
            assertEquals(PvmError.NO_HOST, e.error());
        } finally {
            pvm.kill(sleeper.tid());
        }
    }

    @Test
    void tidToHostIsTheHostPartOfAnyTid() {
        assertEquals(hostDtid(), pvm.tidToHost(pvm.mytid()));
        assertEquals(hostDtid(), pvm.tidToHost(hostDtid() | 0xfff));
        assertEquals(unknownDtid(), pvm.tidToHost(unknownDtid() | 1));
        assertEquals(0, pvm.tidToHost(0));
    }

    @Test
    void statusAndKillRefuseIdsThatAreNoTaskIds() {
        for (int bad : new int[] {0, hostDtid()}) {
            assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class, () -> pvm.taskStatus(bad)).error());
            assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class, () -> pvm.kill(bad)).error());
        }
        assertEquals(PvmError.NO_TASK, pvm.taskStatus(unknownDtid() | 1), "a task of no host does not exist");
        assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class,
                () -> pvm.send(pvm.mytid(), -5, new byte[0])).error(), "negative tags are refused");
    }

    @Test
    void mcastReachesEachListedTaskOnceAndNeverTheSender() {
        int me = pvm.mytid();
        TaskId echo = spawnOne(Echo.class);
        pvm.mcast(new int[] {me, echo.tid(), echo.tid()}, WireTags.USER, codec.encode(new Point(1, 2, "m")));
        Inbound.Message back = receiveMessage(echo, WireTags.USER);
        assertEquals(new Point(1, 2, "m"), codec.decode(back.data()));
        pvm.mcast(new int[0], WireTags.USER, new byte[0]);
        assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class,
                () -> pvm.mcast(new int[] {hostDtid()}, WireTags.USER, new byte[0])).error());
        pvm.send(echo.tid(), WireTags.USER, codec.encode("stop"));
        assertEquals(1, resultAndExit(echo).value(), "the echo got the message once");
        assertFalse(pvm.probe(me, WireTags.USER), "the sender got no copy");
    }

    @Test
    void notifiesAboutTasksAndHostsThatDoNotExistAnswerAtOnce() {
        int tag = 4301;
        int missing = hostDtid() | 0x3fff1;
        pvm.notify(NotifyKind.TASK_EXIT, tag, new int[] {missing});
        assertEquals(List.of(missing), notification(tag, 5).ids());
        int elsewhere = unknownDtid() | 1;
        pvm.notify(NotifyKind.TASK_EXIT, tag, new int[] {elsewhere});
        Inbound.Notification n = notification(tag, 5);
        assertEquals(NotifyKind.TASK_EXIT, n.kind());
        assertEquals(List.of(elsewhere), n.ids());
        pvm.notify(NotifyKind.HOST_DELETE, tag + 1, new int[] {unknownDtid()});
        assertEquals(List.of(unknownDtid()), notification(tag + 1, 5).ids());
        pvm.notify(NotifyKind.HOST_DELETE, tag + 2, new int[] {0});
        assertEquals(List.of(0), notification(tag + 2, 5).ids());
        pvm.notify(NotifyKind.HOST_DELETE, tag + 3, new int[] {pvm.mytid()});
        assertTrue(pvm.receive(TaskId.TIDPVMD, tag + 3, 0.3).isEmpty(), "this host is alive: no answer");
        assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class,
                () -> pvm.notify(NotifyKind.TASK_EXIT, tag, new int[] {hostDtid()})).error());
    }

    @Test
    void sigkillEndsATaskAndBadSignalsAndIdsAreRefused() {
        int tag = 4320;
        TaskId t = spawnSleeper();
        pvm.notify(NotifyKind.TASK_EXIT, tag, new int[] {t.tid()});
        for (int bad : new int[] {0, -1, 65}) {
            PvmException e = assertThrows(PvmException.class, () -> pvm.sendSignal(t.tid(), bad));
            assertEquals(PvmError.BAD_PARAM, e.error(), e.getMessage());
        }
        assertFalse(pvm.probe(TaskId.TIDPVMD, tag), "a refused signal leaves the task running");
        pvm.sendSignal(t.tid(), Pvm.SIGKILL);
        assertEquals(List.of(t.tid()), notification(tag, 30).ids());
        assertTrue(pvm.receive(t.tid(), WireTags.RESULT, 0).isEmpty(), "a killed task sends no result");
        PvmException gone = assertThrows(PvmException.class, () -> pvm.sendSignal(t.tid(), Pvm.SIGKILL));
        assertEquals(PvmError.NO_TASK, gone.error());
        assertTrue(gone.getMessage().contains("pvm_sendsig(" + t + ", 9)"), gone.getMessage());
        for (int bad : new int[] {0, hostDtid()}) {
            assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class,
                    () -> pvm.sendSignal(bad, Pvm.SIGKILL)).error());
        }
    }

    @Test
    void everyTaskExitRegistrationFiresOnce() {
        int tag = 4310;
        TaskId t = spawnSleeper();
        pvm.notify(NotifyKind.TASK_EXIT, tag, new int[] {t.tid()});
        pvm.notify(NotifyKind.TASK_EXIT, tag, new int[] {t.tid()});
        assertFalse(pvm.probe(TaskId.TIDPVMD, tag), "nothing before it ends");
        pvm.kill(t.tid());
        assertEquals(List.of(t.tid()), notification(tag, 30).ids());
        assertEquals(List.of(t.tid()), notification(tag, 30).ids());
        assertTrue(pvm.receive(TaskId.TIDPVMD, tag, 0.3).isEmpty());
    }

    @Test
    void deleteHostsRefusesTheMasterAndNamesUnknownHosts() {
        String master = pvm.config().hosts().get(0).name();
        assertEquals(PvmError.BAD_PARAM, pvm.deleteHosts(List.of(master)).get(0).error());
        assertEquals(PvmError.NO_HOST, pvm.deleteHosts(List.of("no-such-host-pvmakka")).get(0).error());
        assertEquals(1, pvm.config().hosts().size());
    }

    @Test
    void spawnByArchitectureAndByComplementOfAHost() {
        HostInfo h = pvm.config().hosts().get(0);
        List<SpawnResult> byArch = launcher.spawn(new SpawnRequest(Square.class.getName(), List.of(4), true), 2, h.arch(), 1);
        assertEquals(16, resultAndExit(byArch.get(0).taskId()).value());
        assertEquals(PvmError.NO_HOST, pvm.spawn(WorkerCommand.currentJava(), List.of("-version"), 2, "SUN4", 1).get(0)
                .error());
        assertEquals(PvmError.NO_HOST, pvm.spawn(WorkerCommand.currentJava(), List.of("-version"), 0x21, h.name(), 1).get(0)
                .error(), "every host but the only one: none");
    }

    @Test
    void setOptionReturnsThePreviousValueAndRefusesBadOnes() {
        assertEquals(PvmOption.ALLOW_DIRECT, pvm.setOption(PvmOption.ROUTE, PvmOption.DONT_ROUTE), "libpvm's default");
        assertEquals(PvmOption.DONT_ROUTE, pvm.setOption(PvmOption.ROUTE, PvmOption.ALLOW_DIRECT));
        assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class, () -> pvm.setOption(PvmOption.ROUTE, 9)).error());
        assertEquals(PvmError.BAD_PARAM, assertThrows(PvmException.class,
                () -> pvm.setOption(PvmOption.OUTPUT_TID, -1)).error());
        int frag = pvm.setOption(PvmOption.FRAG_SIZE, 8192);
        assertEquals(8192, pvm.setOption(PvmOption.FRAG_SIZE, frag));
        assertEquals(1, pvm.setOption(PvmOption.SHOW_TIDS, 1), "libpvm's default");
    }
}
