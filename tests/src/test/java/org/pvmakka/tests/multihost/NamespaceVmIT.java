package org.pvmakka.tests.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pvmakka.bridge.HostInfo;
import org.pvmakka.bridge.HostResult;
import org.pvmakka.bridge.Inbound;
import org.pvmakka.bridge.NotifyKind;
import org.pvmakka.bridge.Pvm;
import org.pvmakka.bridge.SpawnResult;
import org.pvmakka.bridge.TaskId;
import org.pvmakka.bridge.TaskInfo;
import org.pvmakka.bridge.VmConfig;
import org.pvmakka.bridge.jna.JnaPvm;
import org.pvmakka.bridge.jna.JnaPvmOptions;
import org.pvmakka.tests.RealPvm;

/**
 * A real multi-host PVM on this machine ({@link NamespaceVm}: two hosts in network namespaces):
 * add the hosts, HostAdd notify, config, spawn on a named host, and a slave pvmd stopped with
 * SIGTERM giving HostDelete and TaskExit notifies. Skipped, with the reason, where the machine
 * cannot run it (not root, no {@code ip}/{@code unshare}). The tests run in order and build on
 * each other; the timings are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamespaceVmIT {
    static final int TAG_HOST_ADD = 9301;
    static final int TAG_HOST_DELETE = 9302;
    static final int TAG_TASK_EXIT = 9303;
    static final String VICTIM = "pvmak2";

    static NamespaceVm vm;
    static JnaPvm pvm;
    static final Map<String, Integer> dtids = new HashMap<>();
    static int sleeper;
    static final List<String> timings = new ArrayList<>();

    @BeforeAll
    static void startVm() throws IOException {
        Optional<String> reason = NamespaceVm.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> "multi-host PVM test skipped: " + reason.orElse(""));
        long t0 = System.nanoTime();
        vm = NamespaceVm.start(RealPvm.workDir().resolve("netns"), 2);
        timing("NamespaceVm.start (sweep, network, master pvmd ready)", t0);
        pvm = JnaPvm.open(JnaPvmOptions.defaults().withPvmTmp(vm.pvmTmp().toString()).withAllowRoot(true));
        assertTrue(pvm.mytid() > 0);
    }

    @AfterAll
    static void stopVm() {
        try {
            if (pvm != null) {
                pvm.exit();
            }
        } catch (RuntimeException e) {
            System.err.println("pvm.exit(): " + e);
        } finally {
            if (vm != null) {
                long master = vm.masterPid();
                vm.close();
                String report = "multi-host PVM timings:\n" + timings.stream().map(s -> "  " + s + "\n")
                        .collect(Collectors.joining());
                System.out.print(report);
                assertEquals(List.of(), NamespaceVm.leftovers(), "namespaces or links left after close()");
                assertFalse(NamespaceVm.isRunning(master), "master pvmd " + master + " still running after close()");
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void timing(String what, long t0) {
        timings.add(String.format("%-58s %8.1f ms", what, (System.nanoTime() - t0) / 1e6));
    }

    @Test
    @Order(1)
    void bothNamespaceHostsJoinWithHostAddNotify() {
        pvm.notify(NotifyKind.HOST_ADD, TAG_HOST_ADD, null);
        long t0 = System.nanoTime();
        List<HostResult> added = pvm.addHosts(vm.hostNames());
        timing("pvm_addhosts(pvmak1, pvmak2)", t0);
        assertEquals(2, added.size());
        for (HostResult r : added) {
            assertTrue(r.code() > 0, () -> "adding " + r.host() + " failed: " + r.error() + "\n" + vm.masterOutput());
            dtids.put(r.host(), r.code());
        }
        Set<Integer> announced = new HashSet<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!announced.containsAll(dtids.values()) && System.nanoTime() < deadline) {
            Optional<Inbound> in = pvm.receive(Pvm.ANY, TAG_HOST_ADD, 1.0);
            if (in.isPresent() && in.get() instanceof Inbound.Notification n) {
                assertEquals(NotifyKind.HOST_ADD, n.kind());
                announced.addAll(n.ids());
            }
        }
        timing("pvm_addhosts start -> HostAdd notify for both received", t0);
        assertTrue(announced.containsAll(dtids.values()), "HostAdd notify announced " + announced + ", added " + dtids);

        VmConfig c = pvm.config();
        assertEquals(3, c.hosts().size(), () -> "config: " + c);
        Map<String, Integer> byName = c.hosts().stream().collect(Collectors.toMap(HostInfo::name, HostInfo::dtid));
        assertEquals(Set.of(NamespaceVm.MASTER, "pvmak1", "pvmak2"), byName.keySet());
        assertEquals(dtids.get("pvmak1"), byName.get("pvmak1"));
        assertEquals(dtids.get("pvmak2"), byName.get("pvmak2"));
        for (String h : vm.hostNames()) {
            assertTrue(vm.slavePvmdPid(h) > 0, "a slave pvmd runs in namespace " + h);
        }
    }

    @Test
    @Order(2)
    void spawnWithPvmTaskHostRunsInThatHostsNamespace() {
        assumeTrue(dtids.size() == 2, "hosts were not added");
        long t0 = System.nanoTime();
        List<SpawnResult> r = pvm.spawn("/bin/sleep", List.of("30"), 1, VICTIM, 1);
        timing("pvm_spawn(/bin/sleep, PvmTaskHost, pvmak2)", t0);
        assertEquals(1, r.size());
        assertTrue(r.get(0).started(), () -> "spawn on " + VICTIM + " failed: " + r.get(0));
        sleeper = r.get(0).tid();
        assertEquals((int) dtids.get(VICTIM), new TaskId(sleeper).hostDtid(), "tid's host part is " + VICTIM + "'s dtid");
        assertEquals((int) dtids.get(VICTIM), pvm.tidToHost(sleeper));
        List<TaskInfo> ti = pvm.tasks(sleeper);
        assertEquals(1, ti.size(), () -> "pvm_tasks(" + new TaskId(sleeper) + "): " + ti);
        long pid = ti.get(0).pid();
        assertTrue(vm.namespacePids(VICTIM).contains(pid),
                () -> "task pid " + pid + " is in namespace " + VICTIM + ": " + vm.namespacePids(VICTIM));
    }

    @Test
    @Order(3)
    void sigtermOfSlavePvmdGivesHostDeleteAndTaskExitWithinFiveSeconds() {
        assumeTrue(sleeper > 0, "no task was spawned on " + VICTIM);
        int dtid = dtids.get(VICTIM);
        long taskPid = pvm.tasks(sleeper).get(0).pid();
        pvm.notify(NotifyKind.TASK_EXIT, TAG_TASK_EXIT, new int[] {sleeper});
        pvm.notify(NotifyKind.HOST_DELETE, TAG_HOST_DELETE, new int[] {dtid});
        assertFalse(pvm.probe(Pvm.ANY, TAG_TASK_EXIT), "TaskExit notify before the kill");
        assertFalse(pvm.probe(Pvm.ANY, TAG_HOST_DELETE), "HostDelete notify before the kill");

        // the clock starts once the signal is sent (killSlave first finds the PID with `ip netns pids`)
        long slavePid = vm.killSlave(VICTIM, false);
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
                timing("SIGTERM slave pvmd -> HostDelete notify", t0);
            } else if (n.tag() == TAG_TASK_EXIT) {
                taskExit = n;
                timing("SIGTERM slave pvmd -> TaskExit notify", t0);
            }
        }
        assertNotNull(hostDelete, "no HostDelete notify within 5 s of SIGTERM to slave pvmd " + slavePid + "\n"
                + vm.masterOutput());
        assertNotNull(taskExit, "no TaskExit notify within 5 s of SIGTERM to slave pvmd " + slavePid);
        assertEquals(NotifyKind.HOST_DELETE, hostDelete.kind());
        assertEquals(List.of(dtid), hostDelete.ids());
        assertEquals(NotifyKind.TASK_EXIT, taskExit.kind());
        assertEquals(List.of(sleeper), taskExit.ids());

        // the host is gone from the VM, and its pvmd and task are gone from the machine
        VmConfig c = pvm.config();
        assertEquals(2, c.hosts().size(), () -> "config after the kill: " + c);
        assertTrue(c.hosts().stream().noneMatch(h -> h.name().equals(VICTIM)), () -> "config: " + c);
        long gone = System.nanoTime() + 3_000_000_000L;
        while ((vm.slavePvmdPid(VICTIM) > 0 || NamespaceVm.isRunning(taskPid)) && System.nanoTime() < gone) {
            sleep(20);
        }
        assertEquals(-1, vm.slavePvmdPid(VICTIM), "slave pvmd of " + VICTIM + " gone");
        assertFalse(NamespaceVm.isRunning(taskPid), "task process " + taskPid + " that ran on " + VICTIM + " is gone");
        assertTrue(vm.slavePvmdPid("pvmak1") > 0, "pvmak1's pvmd is unaffected");
    }
}
