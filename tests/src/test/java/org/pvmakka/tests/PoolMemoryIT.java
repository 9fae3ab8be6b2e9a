package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.JobPool;
import org.pvmakka.javadsl.pool.PoolSettings;
import org.pvmakka.javadsl.pool.PoolStatus;
import org.pvmakka.tests.fn.Bytes64;

/**
 * Back-pressure end to end on a real pvmd (issue 13): a stream of N jobs (64 B in, 64 B out) through
 * {@code pool.flow()} with a consumer 10× slower than the pool keeps the heap after GC flat, and the
 * pool never holds more than its queue bound. N is {@code -Dpvmakka.pool.memory.jobs} (default: up
 * to 100,000, what the slow consumer takes in about 30 s); for the 1,000,000-job figure run it
 * alone under a fixed heap:
 * {@code -Dit.test=PoolMemoryIT -Dpvmakka.pool.memory.jobs=1000000 -DargLine=-Xmx256m}.
 */
@ExtendWith(RealPvm.class)
class PoolMemoryIT {
    /** Jobs in the stream, if given; else up to 100,000: what a consumer 10x slower than the pool takes in ~30 s. */
    static final Integer GIVEN_JOBS = Integer.getInteger("pvmakka.pool.memory.jobs");
    static final int SAMPLES = 10;
    /** Heap after GC may move this much from the sample before the stream (outcomes piling up: ~20 MiB per 100,000). */
    static final long SLACK = 8L << 20;
    static final int BOUND = PoolSettings.defaults().queueBound();

    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("pool-memory-it", RealPvm.runtimeConfig(""));
        runtime = RuntimeFixture.start(kit).runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static long heapAfterGc(MemoryMXBean mem) {
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    static Job job(int i) {
        byte[] arg = new byte[64];
        arg[1] = (byte) i;
        return Job.of(Bytes64.class, (Object) arg).withIndex(i);
    }

    @Test
    void aStreamWithAConsumerTenTimesSlowerThanThePoolKeepsTheHeapFlat() throws Exception {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        int slots = Runtime.getRuntime().availableProcessors();
        try (JobPool pool = JobPool.create(kit.system(), runtime, PoolSettings.defaults())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (pool.status().toCompletableFuture().join().workers().size() < slots) {
                assertTrue(System.nanoTime() < deadline, "the pool's workers did not start");
                Thread.sleep(50);
            }
            // the pool's own rate, unthrottled (also the warm-up)
            int probe = 20_000;
            long t0 = System.nanoTime();
            long n = Source.range(0, probe - 1).map(PoolMemoryIT::job).via(pool.flow())
                    .runWith(Sink.fold(0L, (c, o) -> c + 1), kit.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
            assertEquals(probe, n);
            double poolRate = probe / ((System.nanoTime() - t0) / 1e9);
            int consumerRate = (int) Math.max(1, poolRate / 10);
            int jobs = GIVEN_JOBS != null ? GIVEN_JOBS : (int) Math.min(100_000, Math.max(20_000, 30L * consumerRate));
            int every = jobs / SAMPLES;
            long before = heapAfterGc(mem);
            List<Long> heap = new ArrayList<>();
            AtomicInteger maxHeld = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            long timeout = (long) (jobs / (double) consumerRate * 2) + 120;
            long start = System.nanoTime();
            long consumed = Source.range(0, jobs - 1).map(PoolMemoryIT::job).via(pool.flow())
                    .throttle(consumerRate, Duration.ofSeconds(1))
                    .map(o -> {
                        int i = next.getAndIncrement();
                        if (o.index() != i || !o.success() || ((byte[]) o.get())[0] != 1 || ((byte[]) o.get())[1] != (byte) i) {
                            throw new AssertionError("outcome " + i + " out of order or wrong: " + o);
                        }
                        if ((i + 1) % every == 0 && heap.size() < SAMPLES) {
                            PoolStatus s = pool.status().toCompletableFuture().join();
                            maxHeld.accumulateAndGet(s.queued() + s.inFlight(), Math::max);
                            heap.add(heapAfterGc(mem));
                        }
                        return o;
                    })
                    .runWith(Sink.fold(0L, (c, o) -> c + 1), kit.system()).toCompletableFuture()
                    .get(timeout, TimeUnit.SECONDS);
            double secs = (System.nanoTime() - start) / 1e9;
            assertEquals(jobs, consumed);
            String report = String.format(Locale.ROOT,
                    "%,d jobs in %.1f s (pool %.0f jobs/s alone, consumer throttled to %d/s = %.1fx slower); max heap %d MiB;"
                            + " heap after GC before the stream %.1f MiB, then every %,d jobs: %s MiB; at most %d jobs in the pool",
                    jobs, secs, poolRate, consumerRate, poolRate / consumerRate,
                    mem.getHeapMemoryUsage().getMax() >> 20, before / 1048576.0, jobs / SAMPLES,
                    heap.stream().map(b -> String.format(Locale.ROOT, "%.1f", b / 1048576.0)).toList(), maxHeld.get());
            System.out.println("PoolMemoryIT: " + report);
            assertEquals(SAMPLES, heap.size(), report);
            for (long h : heap) {
                assertTrue(h <= before + SLACK, "heap after GC grew more than 8 MiB over the stream: " + report);
            }
            long first = heap.get(0);
            for (long h : heap.subList(SAMPLES - 3, SAMPLES)) {
                assertTrue(Math.abs(h - first) <= SLACK / 2, "the last samples within 4 MiB of the first: " + report);
            }
            assertTrue(maxHeld.get() <= BOUND, "at most the queue bound in the pool: " + report);
        }
    }
}
