package org.pvmakka.tests.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pvmakka.internal.bridge.HostInfo;
import org.pvmakka.internal.bridge.HostResult;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.bridge.VmConfig;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.worker.FunctionLauncher;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.Sleeper;

/**
 * The multi-host part of the {@link Pvm} contract, run on a real multi-host PVM
 * ({@link NamespaceVmIT}) and on the simulator ({@link SimulatedMultiHostTest}): add two hosts
 * (HostAdd notify with their dtids), config, spawn on a named host, and a host whose pvmd dies
 * (HostDelete and TaskExit notifies with the dtid and the tid). The tests run in order and build
 * on each other. A subclass sets {@link #pvm} (the master host's only enrolled process, owned by
 * the test thread) in its {@code @BeforeAll}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MultiHostContract {
    static final int TAG_HOST_ADD = 9301;
    static final int TAG_HOST_DELETE = 9302;
    static final int TAG_TASK_EXIT = 9303;

    static Pvm pvm;
    static final Map<String, Integer> dtids = new HashMap<>();
    static int sleeper;
    static final List<String> timings = new ArrayList<>();

    /** The master host's name. */
    abstract String masterName();

    /** Two hosts that exist but are not in the VM yet; the second one will die. */
    abstract List<String> hostsToAdd();

    /** Kills the pvmd of a host (not the master) as SIGTERM would; returns at once. */
    abstract void killPvmdOf(String host);

    /** Checks, where the implementation can, that the task really runs on that host. */
    abstract void checkRunsOn(String host, TaskInfo task);

    /** Checks, where the implementation can, that the host's pvmd and its task are gone. */
    abstract void checkGone(String host, TaskInfo task);

    String victim() {
        return hostsToAdd().get(1);
    }

    static void timing(String what, long t0) {
        timings.add(String.format("%-58s %8.1f ms", what, (System.nanoTime() - t0) / 1e6));
    }

    @Test
    @Order(1)
    void bothHostsJoinWithHostAddNotify() {
        pvm.notify(NotifyKind.HOST_ADD, TAG_HOST_ADD, null);
        long t0 = System.nanoTime();
        List<HostResult> added = pvm.addHosts(hostsToAdd());
        timing("pvm_addhosts" + hostsToAdd(), t0);
        assertEquals(2, added.size());
        for (HostResult r : added) {
            assertTrue(r.code() > 0, () -> "adding " + r.host() + " failed: " + r.error());
            dtids.put(r.host(), r.code());
        }
        Set<Integer> announced = new HashSet<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!announced.containsAll(dtids.values()) && System.nanoTime() < deadline) {
            Optional<Inbound> in = pvm.receive(Pvm.ANY, TAG_HOST_ADD, 1.0);
            if (in.isPresent() && in.get() instanceof Inbound.Notification n) {
                assertEquals(NotifyKind.HOST_ADD, n.kind());
                assertEquals(TaskId.TIDPVMD, n.source());
                announced.addAll(n.ids());
            }
        }
        timing("pvm_addhosts start -> HostAdd notify for both received", t0);
        assertEquals(new HashSet<>(dtids.values()), announced, "HostAdd notify announced exactly the added hosts");

        VmConfig c = pvm.config();
        assertEquals(3, c.hosts().size(), () -> "config: " + c);
        Map<String, Integer> byName = c.hosts().stream().collect(Collectors.toMap(HostInfo::name, HostInfo::dtid));
        Set<String> expected = new HashSet<>(hostsToAdd());
        expected.add(masterName());
        assertEquals(expected, byName.keySet());
        for (String h : hostsToAdd()) {
            assertEquals(dtids.get(h), byName.get(h));
        }
        assertEquals(PvmError.DUP_HOST, pvm.addHosts(List.of(hostsToAdd().get(0))).get(0).error(),
                "a host already in the VM");
    }

    @Test
    @Order(2)
    void spawnWithPvmTaskHostRunsOnThatHost() {
        assumeTrue(dtids.size() == 2, "hosts were not added");
        WireCodec codec = WireCodec.defaults();
        FunctionLauncher launcher = new FunctionLauncher(pvm, codec, WireSettings.defaults(), WorkerCommand.forCurrentJvm());
        long t0 = System.nanoTime();
        List<SpawnResult> r = launcher.spawn(new SpawnRequest(Sleeper.class.getName(), List.of(60_000), true), 1,
                victim(), 1);
        timing("spawn(Sleeper, PvmTaskHost, " + victim() + ")", t0);
        assertEquals(1, r.size());
        assertTrue(r.get(0).started(), () -> "spawn on " + victim() + " failed: " + r.get(0));
        sleeper = r.get(0).tid();
        assertEquals((int) dtids.get(victim()), new TaskId(sleeper).hostDtid(), "the tid's host part is the host's dtid");
        assertEquals((int) dtids.get(victim()), pvm.tidToHost(sleeper));
        List<TaskInfo> ti = pvm.tasks(sleeper);
        assertEquals(1, ti.size(), () -> "pvm_tasks(" + new TaskId(sleeper) + "): " + ti);
        assertEquals((int) dtids.get(victim()), ti.get(0).hostDtid());
        assertTrue(pvm.tasks(dtids.get(victim())).stream().anyMatch(t -> t.tid() == sleeper));
        checkRunsOn(victim(), ti.get(0));
    }

    @Test
    @Order(3)
    void aHostWhosePvmdDiesGivesHostDeleteAndTaskExitWithinFiveSeconds() {
        assumeTrue(sleeper > 0, "no task was spawned on " + victim());
        int dtid = dtids.get(victim());
        TaskInfo task = pvm.tasks(sleeper).get(0);
        pvm.notify(NotifyKind.TASK_EXIT, TAG_TASK_EXIT, new int[] {sleeper});
        pvm.notify(NotifyKind.HOST_DELETE, TAG_HOST_DELETE, new int[] {dtid});
        assertFalse(pvm.probe(Pvm.ANY, TAG_TASK_EXIT), "TaskExit notify before the kill");
        assertFalse(pvm.probe(Pvm.ANY, TAG_HOST_DELETE), "HostDelete notify before the kill");

        killPvmdOf(victim());
        long t0 = System.nanoTime();
        Inbound.Notification hostDelete = null;
        Inbound.Notification taskExit = null;
        long deadline = t0 + 5_000_000_000L;
        while ((hostDelete == null || taskExit == null) && System.nanoTime() < deadline) {
            double left = Math.max(0.001, (deadline - System.nanoTime()) / 1e9);
            Optional<Inbound> in = pvm.receive(Pvm.ANY, Pvm.ANY, left);
            if (in.isEmpty() || !(in.get() instanceof Inbound.Notification n)) {
                continue;
            }
            if (n.tag() == TAG_HOST_DELETE) {
                hostDelete = n;
                timing("pvmd of " + victim() + " killed -> HostDelete notify", t0);
            } else if (n.tag() == TAG_TASK_EXIT) {
                taskExit = n;
                timing("pvmd of " + victim() + " killed -> TaskExit notify", t0);
            }
        }
        assertNotNull(hostDelete, "no HostDelete notify within 5 s");
        assertNotNull(taskExit, "no TaskExit notify within 5 s");
        assertEquals(NotifyKind.HOST_DELETE, hostDelete.kind());
        assertEquals(TaskId.TIDPVMD, hostDelete.source());
        assertEquals(List.of(dtid), hostDelete.ids());
        assertEquals(NotifyKind.TASK_EXIT, taskExit.kind());
        assertEquals(List.of(sleeper), taskExit.ids());

        VmConfig c = pvm.config();
        assertEquals(2, c.hosts().size(), () -> "config after the kill: " + c);
        assertTrue(c.hosts().stream().noneMatch(h -> h.name().equals(victim())), () -> "config: " + c);
        assertEquals(PvmError.NO_TASK, pvm.taskStatus(sleeper));
        assertEquals(PvmError.NO_HOST, assertThrows(PvmException.class, () -> pvm.tasks(sleeper)).error(),
                "its host is no longer in the VM");
        checkGone(victim(), task);
    }
}
