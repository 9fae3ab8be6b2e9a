package org.pvmakka.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.pvmakka.demo.MonteCarloPi;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.VirtualMachine;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.TaskId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pvm-akka demo}: a Monte-Carlo estimate of pi over every free slot of the VM. Without
 * {@code --pvm-tmp} it starts a private pvmd (with {@code --hostfile}, one that adds real extra
 * hosts) and stops it by PID afterwards. It keeps every free slot busy until all tasks are done,
 * with a progress bar, then prints where tasks ran, the combined result and the timings.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a Monte-Carlo estimate of pi over every free slot of a private (or given) VM.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    VmOptions vm;

    @Mixin
    ServeOptions serve;

    @Option(names = "--hostfile", paramLabel = "FILE", description = "PVM hostfile for the private pvmd (real extra hosts)")
    Path hostfile;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "40000000",
            description = "random points per task (default: ${DEFAULT-VALUE}, about half a second)")
    long samples;

    @Option(names = "--tasks-per-slot", paramLabel = "K", defaultValue = "3",
            description = "tasks per free slot (default: ${DEFAULT-VALUE})")
    int tasksPerSlot;

    @Override
    public Integer call() throws Exception {
        if (samples <= 0 || tasksPerSlot <= 0) {
            throw new IllegalArgumentException("--samples and --tasks-per-slot must be positive");
        }
        if (vm.pvmTmp != null) {
            if (hostfile != null) {
                throw new IllegalArgumentException("--hostfile starts a private pvmd: it cannot be used with --pvm-tmp");
            }
            return runOn();
        }
        long t0 = System.nanoTime();
        try (VmOptions.Embedded e = new VmOptions.Embedded(hostfile)) {
            System.out.printf("started a private pvmd (pid %d) in %s in %.0f ms%n", e.pvmd.pid(), e.pvmd.pvmTmp(),
                    (System.nanoTime() - t0) / 1e6);
            vm.pvmTmp = e.pvmd.pvmTmp();
            int rc = runOn();
            System.out.printf("stopping the private pvmd (pid %d)%n", e.pvmd.pid());
            return rc;
        }
    }

    private int runOn() throws Exception {
        long t0 = System.nanoTime();
        try (VirtualMachine v = vm.attach()) {
            System.out.printf("runtime attached, hosts probed in %.2f s%n", (System.nanoTime() - t0) / 1e9);
            if (serve.on()) {
                serve.start(v); // watchable while the demo runs
            }
            VmStatus status = vm.await(v.status());
            System.out.print(status.format());
            int slots = status.freeSlots();
            if (slots == 0) {
                throw new IllegalStateException("the VM has no free slot");
            }
            int total = slots * tasksPerSlot;
            System.out.printf("%d tasks of %,d samples each on %d free slot(s)%n", total, samples, slots);
            return compute(v, status, slots, total);
        }
    }

    private int compute(VirtualMachine v, VmStatus status, int slots, int total) throws Exception {
        Map<String, Integer> perHost = new TreeMap<>();
        long hits = 0;
        int done = 0;
        int started = 0;
        long seed = 1;
        long start = System.nanoTime();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("pi").setInitialMax(total).setUnit(" tasks", 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed().build()) {
            started += spawn(v, slots, seed++);
            while (done < total) {
                Optional<TaskMessage> m = v.receiveMessage(vm.timeoutSeconds);
                if (m.isEmpty()) {
                    throw new IllegalStateException("no result for " + vm.timeoutSeconds + " s");
                }
                if (m.get().message() instanceof MsgTaskResult r) {
                    if (!r.success()) {
                        throw new IllegalStateException("task " + r.taskId() + " failed: " + r.error());
                    }
                    hits += (Long) r.value();
                    perHost.merge(hostName(status, r.taskId()), 1, Integer::sum);
                    done++;
                    bar.step();
                } else if (m.get().message() instanceof MsgTaskExit x && x.cause() != MsgTaskExit.Cause.EXITED) {
                    throw new IllegalStateException("task " + x.taskId() + " ended without a result: " + x.cause());
                } else if (m.get().message() instanceof MsgTaskExit && started < total) {
                    started += spawn(v, 1, seed++); // a slot is free again
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.println("where the tasks ran:");
        perHost.forEach((h, n) -> System.out.printf("  %-20s %4d task(s)%n", h, n));
        double pi = 4.0 * hits / (samples * (double) total);
        System.out.printf("pi ~ %.6f (error %.1e) from %,d samples%n", pi, Math.abs(pi - Math.PI), samples * total);
        System.out.printf("%d tasks in %.2f s: %.2f tasks/s, %.1f M samples/s%n", total, secs, total / secs,
                samples * total / secs / 1e6);
        return 0;
    }

    private int spawn(VirtualMachine v, int n, long seed) throws Exception {
        Spawned s = vm.await(v.spawnFunction(new SpawnSpec(MonteCarloPi.class.getName(), List.of(samples, seed), n,
                List.of(), true, true)));
        return s.tasks().size();
    }

    private static String hostName(VmStatus status, TaskId t) {
        return status.hosts().stream().filter(h -> h.id().dtid() == t.hostDtid()).map(h -> h.id().name()).findFirst()
                .orElse(Integer.toHexString(t.hostDtid()));
    }

}
