package org.pvmakka.tests.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.JobPool;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolSettings;
import org.pvmakka.javadsl.pool.PoolStatus;
import org.pvmakka.task.HostId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;
import org.pvmakka.tests.fn.Sleeper;

/** Job pools when hosts die, join or stop answering, on a simulated VM of three hosts (1 + 2 + 2 cores). */
class PoolHostFailureTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int JOBS = 60;

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    static PoolStatus awaitStatus(JobPool pool, Predicate<PoolStatus> p) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PoolStatus s = pool.status().toCompletableFuture().join();
        while (!p.test(s)) {
            assertTrue(System.nanoTime() < deadline, "pool: " + s);
            Thread.sleep(20);
            s = pool.status().toCompletableFuture().join();
        }
        return s;
    }

    static List<Job> sleepers(int n, int maxAttempts) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(Job.of(Sleeper.class, 50).withIndex(i).withMaxAttempts(maxAttempts));
        }
        return jobs;
    }

    /** Receives exactly one outcome per job, then nothing more. */
    static List<JobOutcome> outcomes(TestProbe<JobOutcome> probe, int n) {
        List<JobOutcome> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            JobOutcome o = probe.receiveMessage(WAIT);
            assertTrue(seen.add(o.index()), "one outcome per job: " + o);
            out.add(o);
        }
        probe.expectNoMessage(Duration.ofMillis(500));
        return out;
    }

    private static SimulatedCluster threeHosts(long seed) {
        SimulatedCluster c = new SimulatedCluster(seed);
        c.addHost("master", 1);
        c.addHost("node1", 2);
        c.addHost("node2", 2);
        return c;
    }

    @Test
    void aHostLostWithJobsInFlightRetriesIdempotentJobsElsewhere() throws Exception {
        try (SimulatedCluster cluster = threeHosts(1); SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster);
                JobPool pool = JobPool.create(testKit.system(), vm.runtime(), PoolSettings.defaults().withPipelining(2))) {
            awaitStatus(pool, s -> s.workers().size() == 5);
            HostId node1 = cluster.host("node1").orElseThrow();
            TestProbe<JobOutcome> probe = testKit.createTestProbe();
            pool.ref().tell(new PoolCommand.SubmitBatch(sleepers(JOBS, 2), false, probe.getRef()));
            Thread.sleep(150);
            cluster.failHost("node1");
            List<JobOutcome> out = outcomes(probe, JOBS);
            assertTrue(out.stream().allMatch(JobOutcome::success), () -> out.toString());
            assertTrue(out.stream().anyMatch(o -> o.attempts() == 2), "some jobs were lost with node1 and ran again");
            assertTrue(out.stream().filter(o -> o.attempts() == 2).noneMatch(o -> node1.equals(o.host())),
                    "retried elsewhere");
            assertEquals(3, awaitStatus(pool, s -> s.workers().size() == 3).workers().size(), "no worker on the lost host");
        }
    }

    @Test
    void aHostLostWithJobsInFlightEndsOneAttemptJobsWithHostLost() throws Exception {
        try (SimulatedCluster cluster = threeHosts(2); SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster);
                JobPool pool = JobPool.create(testKit.system(), vm.runtime(), PoolSettings.defaults().withPipelining(2))) {
            awaitStatus(pool, s -> s.workers().size() == 5);
            HostId node1 = cluster.host("node1").orElseThrow();
            TestProbe<JobOutcome> probe = testKit.createTestProbe();
            pool.ref().tell(new PoolCommand.SubmitBatch(sleepers(JOBS, 1), false, probe.getRef()));
            Thread.sleep(150);
            cluster.failHost("node1");
            List<JobOutcome> out = outcomes(probe, JOBS);
            List<JobOutcome> lost = out.stream().filter(o -> !o.success()).toList();
            assertFalse(lost.isEmpty(), "jobs were in flight on node1");
            for (JobOutcome o : lost) {
                assertEquals(JobOutcome.Cause.HOST_LOST, o.cause(), o::toString);
                assertEquals(node1, o.host());
                assertEquals(1, o.attempts());
                assertTrue(o.error().message().contains("HOST_LOST"), o.error().message());
            }
            assertTrue(out.stream().filter(JobOutcome::success).allMatch(o -> o.cause() == JobOutcome.Cause.RAN));
        }
    }

    @Test
    void aHostThatJoinsMidRunGetsWorkersAndJobs() throws Exception {
        try (SimulatedCluster cluster = new SimulatedCluster(3)) {
            cluster.addHost("master", 1);
            try (SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster);
                    JobPool pool = JobPool.create(testKit.system(), vm.runtime(), PoolSettings.defaults().withPipelining(1))) {
                awaitStatus(pool, s -> s.workers().size() == 1);
                TestProbe<JobOutcome> probe = testKit.createTestProbe();
                pool.ref().tell(new PoolCommand.SubmitBatch(sleepers(JOBS, 1), false, probe.getRef()));
                Thread.sleep(100);
                HostId node3 = cluster.addHost("node3", 2);
                List<JobOutcome> out = outcomes(probe, JOBS);
                assertTrue(out.stream().allMatch(JobOutcome::success));
                assertTrue(out.stream().anyMatch(o -> node3.equals(o.host())), "the new host ran jobs");
                awaitStatus(pool, s -> s.workers().size() == 3);
            }
        }
    }

    @Test
    void anUnresponsiveHostGetsNoMoreJobs() throws Exception {
        try (SimulatedCluster cluster = threeHosts(4); SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster);
                JobPool pool = JobPool.create(testKit.system(), vm.runtime(), PoolSettings.defaults())) {
            awaitStatus(pool, s -> s.workers().size() == 5);
            HostId node2 = cluster.host("node2").orElseThrow();
            cluster.setUnresponsive("node2", true);
            awaitStatus(pool, s -> s.workers().size() == 3);
            TestProbe<JobOutcome> probe = testKit.createTestProbe();
            pool.ref().tell(new PoolCommand.SubmitBatch(sleepers(20, 1), true, probe.getRef()));
            List<JobOutcome> out = outcomes(probe, 20);
            assertTrue(out.stream().allMatch(JobOutcome::success));
            assertTrue(out.stream().noneMatch(o -> node2.equals(o.host())), "nothing ran on the unresponsive host");
            assertNotEquals(0, out.size());
        }
    }
}
