package org.pvmakka.tests.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.internal.bridge.HostResult;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.javadsl.HostChange;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Echo;
import org.pvmakka.tests.fn.Relay;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;

/**
 * The actor runtime on a real multi-host PVM ({@link NamespaceVm}: a master pvmd and three hosts
 * in network namespaces): hosts added at run time, spreading by free slots, messages between hosts,
 * an unresponsive host skipped and re-probed back, a host's pvmd stopped with SIGTERM, and one
 * killed with SIGKILL caught by the runtime's own liveness check. The steps run in order on one VM
 * and print their timings and how many tasks and messages they moved.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostRuntimeIT {
    static final Duration LONG = Duration.ofSeconds(60);
    static NamespaceVm vm;
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static TestProbe<HostEvent> hostEvents;
    static Path brokenMarkerDir;
    static final Map<String, HostId> hosts = new HashMap<>();
    static final List<String> report = new ArrayList<>();
    static long lastExitNanos;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> reason = NamespaceVm.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "multi-host runtime test skipped: " + reason.orElse(""));
        Path work = RealPvm.workDir().resolve("netns-rt");
        Files.createDirectories(work);
        vm = NamespaceVm.start(work, 3);
        brokenMarkerDir = work.resolve("broken");
        Files.createDirectories(brokenMarkerDir);
        // the worker command: java, unless the host it runs on is marked broken
        Path wrapper = work.resolve("java-or-fail.sh");
        Files.writeString(wrapper, "#!/bin/sh\nif [ -e '" + brokenMarkerDir + "'/\"$(hostname)\" ]; then\n"
                + "  echo \"worker refused: host $(hostname) is marked broken\" >&2; exit 1\nfi\n"
                + "exec '" + WorkerCommand.currentJava() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        kit = ActorTestKit.create("multihost", ConfigFactory.parseString(String.join("\n",
                "pvm-akka.pvm-tmp = \"" + vm.pvmTmp() + "\"",
                "pvm-akka.allow-root = on",
                "pvm-akka.worker.java = \"" + wrapper + "\"",
                "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]",
                "pvm-akka.result-grace = 300ms",
                "pvm-akka.core-counter.timeout = 20s",
                "pvm-akka.core-counter.reprobe-interval = 2s",
                "pvm-akka.liveness.heartbeat-interval = 500ms",
                "pvm-akka.liveness.timeout = 3s")).withFallback(ConfigFactory.load()));
        runtime = PvmAkka.get(kit.system()).runtime();
        hostEvents = kit.createTestProbe();
        runtime.tell(new PvmCommand.SubscribeHostEvents(hostEvents.getRef()));
        TestProbe<StatusReply<Done>> up = kit.createTestProbe();
        runtime.tell(new PvmCommand.WaitForVm(LONG, up.getRef()));
        assertTrue(up.receiveMessage(LONG.plusSeconds(5)).isSuccess());
        hostEvents.receiveMessage(LONG); // the master's own MsgHostResponsive
    }

    @AfterAll
    static void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
        if (vm != null) {
            vm.close();
        }
        String text = String.join("\n", report);
        System.out.println(text);
        System.err.println(text);
    }

    static VmStatus status() {
        return RuntimeFixture.of(kit, runtime).status();
    }

    static List<TaskId> spawn(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        return RuntimeFixture.of(kit, runtime).spawnOk(spec, owner).tasks();
    }

    /** Collects events until every task has exited; returns results and exits by task. */
    static Map<TaskId, List<TaskEvent>> untilAllExited(TestProbe<TaskEvent> owner, List<TaskId> tasks, Duration max) {
        Map<TaskId, List<TaskEvent>> seen = new HashMap<>();
        Set<TaskId> exited = new HashSet<>();
        while (!exited.containsAll(tasks)) {
            TaskEvent e = owner.receiveMessage(max);
            seen.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
            if (e instanceof MsgTaskExit) {
                assertTrue(exited.add(e.taskId()), "exactly one exit for " + e.taskId());
                lastExitNanos = System.nanoTime();
            }
        }
        owner.expectNoMessage(Duration.ofMillis(700));
        return seen;
    }

    static String hostOf(TaskId t) {
        return hosts.values().stream().filter(h -> h.dtid() == t.hostDtid()).map(HostId::name).findFirst()
                .orElse(Integer.toHexString(t.hostDtid()));
    }

    @Test
    @Order(1)
    void hostsAddedAtRunTimeAreMeasuredAndUsed() {
        long t0 = System.nanoTime();
        TestProbe<StatusReply<List<HostChange>>> add = kit.createTestProbe();
        runtime.tell(new PvmCommand.AddHosts(List.of("pvmak1", "pvmak2"), add.getRef()));
        List<HostChange> added = add.receiveMessage(LONG).getValue();
        double addMs = (System.nanoTime() - t0) / 1e6;
        assertTrue(added.stream().allMatch(HostChange::ok), added::toString);
        Set<String> seenAdd = new HashSet<>();
        Set<String> measured = new HashSet<>();
        while (measured.size() < 2) {
            HostEvent e = hostEvents.receiveMessage(LONG);
            if (e instanceof HostEvent.MsgHostAdd a) {
                seenAdd.add(a.host().name());
                hosts.put(a.host().name(), a.host());
            } else if (e instanceof HostEvent.MsgHostResponsive r && r.responsive()) {
                assertEquals(Runtime.getRuntime().availableProcessors(), r.cores());
                measured.add(r.host().name());
            }
        }
        double readyMs = (System.nanoTime() - t0) / 1e6;
        assertEquals(Set.of("pvmak1", "pvmak2"), seenAdd);
        VmStatus s = status();
        assertEquals(3, s.hosts().size());
        s.hosts().forEach(h -> hosts.put(h.id().name(), h.id()));
        assertTrue(s.hosts().stream().allMatch(HostStatus::responsive), s::format);
        report.add(String.format("add 2 hosts: pvm_addhosts %.0f ms, MsgHostAdd + cores measured by the sentinel %.0f ms",
                addMs, readyMs));
        // the next spawn uses them
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        List<TaskId> t = spawn(SpawnSpec.of(Square.class, 3).withTargets(List.of(hosts.get("pvmak2"))), owner.getRef());
        assertEquals("pvmak2", hostOf(t.get(0)));
        MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, untilAllExited(owner, t, LONG).get(t.get(0)).get(0));
        assertEquals(9, r.value());
    }

    @Test
    @Order(2)
    void aSpawnFillsTheHostsByFreeSlots() {
        VmStatus s = status();
        Map<String, Integer> free = new HashMap<>();
        s.hosts().forEach(h -> free.put(h.id().name(), h.freeSlots()));
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        long t0 = System.nanoTime();
        List<TaskId> tasks = spawn(SpawnSpec.of(Sleeper.class, 300).fillFreeSlots(), owner.getRef());
        Map<String, Integer> placed = new HashMap<>();
        tasks.forEach(t -> placed.merge(hostOf(t), 1, Integer::sum));
        free.values().removeIf(n -> n == 0);
        Map<TaskId, List<TaskEvent>> ev = untilAllExited(owner, tasks, LONG); // first, so that a failure does not cascade
        assertEquals(free, placed, "one task per free slot on every host");
        ev.forEach((t, l) -> assertInstanceOf(MsgTaskResult.class, l.get(0)));
        report.add(String.format("spread: %d tasks over %s, all ended %.0f ms after the spawn", tasks.size(), placed,
                (lastExitNanos - t0) / 1e6));
    }

    @Test
    @Order(3)
    void tasksOnDifferentHostsExchangeMessages() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId echo = spawn(SpawnSpec.of(Echo.class).withTargets(List.of(hosts.get("pvmak2"))), owner.getRef()).get(0);
        int n = 200;
        long t0 = System.nanoTime();
        TaskId relay = spawn(SpawnSpec.of(Relay.class, echo.tid(), n).withTargets(List.of(hosts.get("pvmak1"))),
                owner.getRef()).get(0);
        assertEquals("pvmak2", hostOf(echo));
        assertEquals("pvmak1", hostOf(relay));
        Map<TaskId, List<TaskEvent>> ev = untilAllExited(owner, List.of(echo, relay), LONG);
        MsgTaskResult relayed = assertInstanceOf(MsgTaskResult.class, ev.get(relay).get(0));
        assertTrue(relayed.success(), () -> String.valueOf(relayed.error()));
        assertEquals(n, relayed.value());
        assertEquals(n, ((MsgTaskResult) ev.get(echo).get(0)).value());
        report.add(String.format("cross-host messages: %d round trips pvmak1 <-> pvmak2 (%d messages), both tasks"
                + " ended %.0f ms after the relay's spawn", n, 2 * n + 1, (lastExitNanos - t0) / 1e6));
    }

    @Test
    @Order(4)
    void aHostWhereTheWorkerCannotStartIsSkippedUntilItIsFixed() throws Exception {
        Path marker = brokenMarkerDir.resolve("pvmak3");
        Files.writeString(marker, "broken");
        TestProbe<StatusReply<List<HostChange>>> add = kit.createTestProbe();
        runtime.tell(new PvmCommand.AddHosts(List.of("pvmak3"), add.getRef()));
        assertTrue(add.receiveMessage(LONG).getValue().get(0).ok());
        HostId h3 = null;
        boolean unresponsive = false;
        while (!unresponsive) {
            HostEvent e = hostEvents.receiveMessage(LONG);
            if (e instanceof HostEvent.MsgHostAdd a) {
                h3 = a.host();
            } else if (e instanceof HostEvent.MsgHostResponsive r && r.host().name().equals("pvmak3")) {
                assertFalse(r.responsive());
                unresponsive = true;
            }
        }
        hosts.put("pvmak3", h3);
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        List<TaskId> tasks = spawn(SpawnSpec.of(Square.class, 2).fillFreeSlots(), owner.getRef());
        assertTrue(tasks.stream().noneMatch(t -> hostOf(t).equals("pvmak3")), "never spawned on the unresponsive host");
        untilAllExited(owner, tasks, LONG);
        TestProbe<StatusReply<Spawned>> refused = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 1).withTargets(List.of(h3)),
                owner.getRef(), refused.getRef()));
        assertTrue(refused.receiveMessage(LONG).getError().getMessage().contains("no responsive host"));
        long t0 = System.nanoTime();
        Files.delete(marker);
        HostEvent back = hostEvents.receiveMessage(LONG);
        assertInstanceOf(HostEvent.MsgHostResponsive.class, back);
        assertTrue(((HostEvent.MsgHostResponsive) back).responsive());
        report.add(String.format("unresponsive host: skipped by a %d-task spawn; back %.0f ms after the fix (re-probe 2 s)",
                tasks.size(), (System.nanoTime() - t0) / 1e6));
        List<TaskId> on3 = spawn(SpawnSpec.of(Square.class, 4).withTargets(List.of(h3)), owner.getRef());
        assertEquals("pvmak3", hostOf(on3.get(0)));
        assertEquals(16, ((MsgTaskResult) untilAllExited(owner, on3, LONG).get(on3.get(0)).get(0)).value());
    }

    @Test
    @Order(5)
    void aHostStoppedWithSigtermEndsItsTasksOnceAndIsNeverUsedAgain() {
        TestProbe<TaskEvent> victims = kit.createTestProbe();
        TestProbe<TaskEvent> others = kit.createTestProbe();
        List<TaskId> doomed = spawn(SpawnSpec.of(Sleeper.class, 60_000).withCount(2).withOvercommit(true)
                .withTargets(List.of(hosts.get("pvmak2"))), victims.getRef());
        List<TaskId> fine = spawn(SpawnSpec.of(Sleeper.class, 1500).withCount(2).withOvercommit(true)
                .withTargets(List.of(hosts.get("pvmak1"))), others.getRef());
        long t0 = System.nanoTime();
        vm.killSlave("pvmak2", false);
        Map<TaskId, List<TaskEvent>> ev = untilAllExited(victims, doomed, LONG);
        double ms = (lastExitNanos - t0) / 1e6;
        for (TaskId t : doomed) {
            assertEquals(1, ev.get(t).size(), "one terminal event, no result: " + ev.get(t));
            assertEquals(MsgTaskExit.Cause.HOST_LOST, ((MsgTaskExit) ev.get(t).get(0)).cause());
        }
        HostEvent del;
        do {
            del = hostEvents.receiveMessage(LONG);
        } while (!(del instanceof HostEvent.MsgHostDelete));
        assertEquals("pvmak2", del.host().name());
        Map<TaskId, List<TaskEvent>> ok = untilAllExited(others, fine, LONG);
        fine.forEach(t -> assertTrue(((MsgTaskResult) ok.get(t).get(0)).success()));
        VmStatus s = status();
        assertTrue(s.hosts().stream().noneMatch(h -> h.id().name().equals("pvmak2")), s::format);
        List<TaskId> after = spawn(SpawnSpec.of(Square.class, 1).fillFreeSlots(), others.getRef());
        assertTrue(after.stream().noneMatch(t -> t.hostDtid() == hosts.get("pvmak2").dtid()));
        untilAllExited(others, after, LONG);
        report.add(String.format("SIGTERM of pvmak2's pvmd: %d tasks there ended HOST_LOST after %.0f ms; %d elsewhere"
                + " finished normally", doomed.size(), ms, fine.size()));
    }

    @Test
    @Order(6)
    void aHostKilledWithSigkillIsDetectedByTheRuntimeWithinItsLivenessTimeout() {
        TestProbe<TaskEvent> victims = kit.createTestProbe();
        List<TaskId> doomed = spawn(SpawnSpec.of(Sleeper.class, 120_000).withCount(2).withOvercommit(true)
                .withTargets(List.of(hosts.get("pvmak1"))), victims.getRef());
        long t0 = System.nanoTime();
        vm.killSlave("pvmak1", true);
        Map<TaskId, List<TaskEvent>> ev = untilAllExited(victims, doomed, Duration.ofSeconds(30));
        double ms = (lastExitNanos - t0) / 1e6;
        for (TaskId t : doomed) {
            assertEquals(1, ev.get(t).size(), "one terminal event: " + ev.get(t));
            MsgTaskExit x = (MsgTaskExit) ev.get(t).get(0);
            assertEquals(MsgTaskExit.Cause.HOST_LOST, x.cause());
            assertTrue(x.detail().contains("no heartbeat"), x.detail());
        }
        HostEvent del;
        do {
            del = hostEvents.receiveMessage(LONG);
        } while (!(del instanceof HostEvent.MsgHostDelete));
        assertEquals("pvmak1", del.host().name());
        // nothing blocks on the dead host, and nothing new goes there
        long s0 = System.nanoTime();
        VmStatus s = status();
        double statusMs = (System.nanoTime() - s0) / 1e6;
        assertTrue(s.hosts().stream().noneMatch(h -> h.id().name().equals("pvmak1")), s::format);
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        List<TaskId> after = spawn(SpawnSpec.of(Square.class, 5).fillFreeSlots(), owner.getRef());
        assertTrue(after.stream().noneMatch(t -> t.hostDtid() == hosts.get("pvmak1").dtid()));
        untilAllExited(owner, after, LONG);
        report.add(String.format("SIGKILL of pvmak1's pvmd: %d tasks there ended HOST_LOST after %.0f ms (liveness"
                + " timeout 3 s, heartbeat 0.5 s); status then took %.0f ms; %d new tasks avoided the host",
                doomed.size(), ms, statusMs, after.size()));
    }
}
