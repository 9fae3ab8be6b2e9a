package org.pvmakka.tests.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.tests.RealPvm;

/**
 * The {@link MultiHostContract} on a real multi-host PVM on this machine ({@link NamespaceVm}: two
 * hosts in network namespaces, a worker JVM in one of them, its slave pvmd stopped with SIGTERM).
 * Skipped, with the reason, where the machine cannot run it (not root, no {@code ip}/{@code
 * unshare}). The timings are printed.
 */
class NamespaceVmIT extends MultiHostContract {
    static NamespaceVm vm;

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

    @Override
    String masterName() {
        return NamespaceVm.MASTER;
    }

    @Override
    List<String> hostsToAdd() {
        return vm.hostNames();
    }

    @Override
    void killPvmdOf(String host) {
        vm.killSlave(host, false);
    }

    @Override
    void checkRunsOn(String host, TaskInfo task) {
        long pid = task.pid();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!vm.namespacePids(host).contains(pid) && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertTrue(vm.namespacePids(host).contains(pid),
                () -> "task pid " + pid + " is in namespace " + host + ": " + vm.namespacePids(host));
    }

    @Override
    void checkGone(String host, TaskInfo task) {
        long gone = System.nanoTime() + 3_000_000_000L;
        while ((vm.slavePvmdPid(host) > 0 || NamespaceVm.isRunning(task.pid())) && System.nanoTime() < gone) {
            sleep(20);
        }
        assertEquals(-1, vm.slavePvmdPid(host), "slave pvmd of " + host + " gone");
        assertFalse(NamespaceVm.isRunning(task.pid()), "task process " + task.pid() + " that ran on " + host + " is gone");
        for (String other : vm.hostNames()) {
            if (!other.equals(host)) {
                assertTrue(vm.slavePvmdPid(other) > 0, other + "'s pvmd is unaffected");
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
}
