package org.pvmakka.tests.bench;

import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pvmakka.javadsl.VirtualMachine;

/**
 * The idle measurement, in a JVM of its own that runs nothing but a pvm-akka runtime (through the
 * {@link VirtualMachine} facade, as a deployment would; no test harness threads): once the VM is up
 * and its sentinel reports, it waits 5 s, then measures over the given seconds its own CPU time and
 * that of the pvmd and the pvmd's tasks (its sentinel worker), and prints
 * {@code IDLE jvm_percent=.. tasks_percent=.. threads=..}.
 *
 * <p>Arguments: PVM_TMP of the pvmd, the pvmd's PID, seconds, extra configuration (HOCON, may be
 * empty).
 */
public final class IdleRuntime {
    private IdleRuntime() {
    }

    public static void main(String[] args) throws Exception {
        String pvmTmp = args[0];
        long pvmd = Long.parseLong(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String extra = args.length > 3 ? args[3] : "";
        var config = ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + pvmTmp + "\"\npvm-akka.allow-root = on\n" + extra)
                .withFallback(ConfigFactory.load());
        try (VirtualMachine vm = VirtualMachine.create(config)) {
            if (!vm.waitForVm(Duration.ofSeconds(60)).toCompletableFuture().get(70, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the VM did not come up");
            }
            Thread.sleep(5000);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var threads = ManagementFactory.getThreadMXBean();
            List<Long> tasks = new ArrayList<>(ProcCpu.children(pvmd));
            tasks.add(pvmd);
            Map<Long, Long> before = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                before.put(id, threads.getThreadCpuTime(id));
            }
            long tasks0 = tasks.stream().mapToLong(ProcCpu::cpuNanos).sum();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = os.getProcessCpuTime();
            long elapsed = System.nanoTime() - t0;
            long tasks1 = tasks.stream().mapToLong(ProcCpu::cpuNanos).sum();
            List<String> top = new ArrayList<>();
            for (long id : threads.getAllThreadIds()) {
                var info = threads.getThreadInfo(id);
                long t = threads.getThreadCpuTime(id) - before.getOrDefault(id, 0L);
                if (info != null && t > 0) {
                    top.add(String.format(Locale.ROOT, "%012d%s_%.2f%%", t, info.getThreadName().replace(' ', '_'),
                            100.0 * t / elapsed));
                }
            }
            top.sort(Comparator.reverseOrder());
            System.out.printf(Locale.ROOT, "IDLE jvm_percent=%.3f tasks_percent=%.3f threads=%s%n",
                    100.0 * (cpu1 - cpu0) / elapsed, 100.0 * (tasks1 - tasks0) / elapsed,
                    String.join(",", top.stream().limit(5).map(s -> s.substring(12)).toList()));
            System.out.flush();
        }
        System.exit(0);
    }
}
