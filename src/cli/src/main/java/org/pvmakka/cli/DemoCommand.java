package org.pvmakka.cli;

import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.nio.file.Path;
import java.time.Duration;
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
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobPool;
import org.pvmakka.javadsl.pool.PoolSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pvm-akka demo}: a Monte-Carlo estimate of pi over every free slot of the VM. Without
 * {@code --pvm-tmp} it starts a private pvmd (with {@code --hostfile}, one that adds real extra
 * hosts) and stops it by PID afterwards. It runs many small jobs on a job pool (one warm worker per
 * free slot), with a progress bar, prints where jobs ran, the combined result and the timings, then
 * spawns the same job as a task a few times and says how long spawning per job would have taken.
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

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000000",
            description = "random points per job (default: ${DEFAULT-VALUE}, about 25 ms)")
    long samples;

    @Option(names = {"--jobs-per-slot", "--tasks-per-slot"}, paramLabel = "K", defaultValue = "120",
            description = "jobs per free slot (default: ${DEFAULT-VALUE})")
    int jobsPerSlot;

    @Override
    public Integer call() throws Exception {
        if (samples <= 0 || jobsPerSlot <= 0) {
            throw new IllegalArgumentException("--samples and --jobs-per-slot must be positive");
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
            int total = slots * jobsPerSlot;
            System.out.printf("%d jobs of %,d samples each on a pool of %d warm worker(s)%n", total, samples, slots);
            double poolSecs = compute(v, total);
            compareWithSpawning(v, slots, total, poolSecs);
            return 0;
        }
    }

    /** Runs the jobs on a pool (one warm worker per free slot), with a progress bar; the seconds it took. */
    private double compute(VirtualMachine v, int total) throws Exception {
        Map<String, Integer> perHost = new TreeMap<>();
        long[] hits = {0};
        long start;
        try (JobPool pool = JobPool.create(v.system(), v.runtime(), PoolSettings.defaults());
                ProgressBar bar = new ProgressBarBuilder().setTaskName("pi").setInitialMax(total).setUnit(" jobs", 1)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed().build()) {
            start = System.nanoTime();
            Source.range(1, total).map(seed -> Job.of(MonteCarloPi.class, samples, (long) seed).withIndex(seed))
                    .via(pool.unorderedFlow())
                    .idleTimeout(Duration.ofMillis((long) (vm.timeoutSeconds * 1000)))
                    .runWith(Sink.foreach(o -> {
                        hits[0] += (Long) o.get(); // throws naming the job and why it failed
                        perHost.merge(o.host() == null ? "?" : o.host().name(), 1, Integer::sum);
                        bar.step();
                    }), v.system()).toCompletableFuture().handle((d, e) -> {
                        if (e != null) {
                            Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                    ? e.getCause() : e;
                            throw new IllegalStateException(c instanceof java.util.concurrent.TimeoutException
                                    ? "no result for " + vm.timeoutSeconds + " s" : c.getMessage(), c);
                        }
                        return d;
                    }).join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.println("where the jobs ran:");
        perHost.forEach((h, n) -> System.out.printf("  %-20s %4d job(s)%n", h, n));
        double pi = 4.0 * hits[0] / (samples * (double) total);
        System.out.printf("pi ~ %.6f (error %.1e) from %,d samples%n", pi, Math.abs(pi - Math.PI), samples * total);
        System.out.printf("%d jobs in %.2f s: %.1f jobs/s, %.1f M samples/s%n", total, secs, total / secs,
                samples * total / secs / 1e6);
        return secs;
    }

    /**
     * Spawns the same job as a task per job, two rounds of one per free slot, and extrapolates to
     * {@code total} jobs: the line that says what the pool saves.
     */
    private void compareWithSpawning(VirtualMachine v, int slots, int total, double poolSecs)
            throws Exception {
        int spawns = 2 * slots;
        int results = 0;
        int exits = 0;
        int started = 0;
        long seed = total + 1L;
        long start = System.nanoTime();
        started += spawn(v, slots, seed++);
        while (exits < spawns) {
            Optional<TaskMessage> m = v.receiveMessage(vm.timeoutSeconds);
            if (m.isEmpty()) {
                throw new IllegalStateException("no result for " + vm.timeoutSeconds + " s");
            }
            if (m.get().message() instanceof MsgTaskResult r) {
                if (!r.success()) {
                    throw new IllegalStateException("task " + r.taskId() + " failed: " + r.error());
                }
                results++;
            } else if (m.get().message() instanceof MsgTaskExit x) {
                if (x.cause() != MsgTaskExit.Cause.EXITED) {
                    throw new IllegalStateException("task " + x.taskId() + " ended without a result: " + x.cause());
                }
                exits++;
                if (started < spawns) {
                    started += spawn(v, 1, seed++); // a slot is free again
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = results / secs;
        double extrapolated = total / rate;
        System.out.printf("spawning per job instead: %d spawns of the same job took %.2f s (%.1f jobs/s); %d jobs would"
                + " take ~%.0f s, %.1fx the pool's %.2f s%n", results, secs, rate, total, extrapolated,
                extrapolated / poolSecs, poolSecs);
    }

    private int spawn(VirtualMachine v, int n, long seed) throws Exception {
        Spawned s = vm.await(v.spawnFunction(new SpawnSpec(MonteCarloPi.class.getName(), List.of(samples, seed), n,
                List.of(), true, true)));
        return s.tasks().size();
    }

}
