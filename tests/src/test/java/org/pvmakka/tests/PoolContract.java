package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.JobPool;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolSettings;
import org.pvmakka.javadsl.pool.PoolStatus;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.Asker;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;
import org.pvmakka.tests.fn.Thrower;
import org.pvmakka.tests.fn.UnregisteredResult;

/**
 * Job pools over a single-host VM, run unchanged on a real pvmd ({@link PoolIT}) and on the simulator
 * ({@link SimulatedPoolTest}). A subclass starts {@link #kit} and {@link #runtime} (with the tests' wire
 * registrar) and waits until the VM is up.
 */
abstract class PoolContract {
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;
    static final Duration LONG = Duration.ofSeconds(60);

    /** The slots of the VM's host: the default pool size. */
    abstract int slots();

    /** A job function that ends its worker the first time it runs (marker file absent) and returns "survived" after. */
    abstract Class<? extends TaskFunction> dyingOnce();

    /** Called with every message jobs send to their parent ({@code dyingOnce} may ask to be killed). */
    abstract void onJobMessage(TaskMessage m);

    static JobPool pool(PoolSettings settings) {
        ActorRef<TaskMessage> messages = kit.spawn(Behaviors.receiveMessage(m -> {
            instance.onJobMessage(m);
            return Behaviors.same();
        }));
        return JobPool.create(kit.system(), runtime, settings.withJobMessages(messages));
    }

    static PoolContract instance;

    PoolContract() {
        instance = this;
    }

    static PoolStatus status(JobPool pool) {
        return pool.status().toCompletableFuture().join();
    }

    /** Waits until {@code n} workers serve. */
    static PoolStatus awaitWorkers(JobPool pool, int n) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        PoolStatus s = status(pool);
        while (s.workers().size() != n || s.starting() != 0) {
            assertTrue(System.nanoTime() < deadline, "workers: " + s);
            Thread.sleep(50);
            s = status(pool);
        }
        return s;
    }

    static List<TaskId> runtimeTasks() {
        TestProbe<StatusReply<org.pvmakka.javadsl.VmStatus>> p = kit.createTestProbe();
        runtime.tell(new PvmCommand.GetStatus(p.getRef()));
        return p.receiveMessage(LONG).getValue().tasks().stream().map(TaskStatus::id).toList();
    }

    static JobOutcome await(java.util.concurrent.CompletionStage<JobOutcome> o) {
        return o.toCompletableFuture().orTimeout(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    }

    @Test
    void tenThousandJobsComeBackInJobOrderOnOneWorkerPerSlot() throws Exception {
        try (JobPool pool = pool(PoolSettings.defaults())) {
            PoolStatus s = awaitWorkers(pool, slots());
            List<Integer> inputs = IntStream.range(0, 10_000).boxed().toList();
            List<JobOutcome> out = pool.map(Square.class, inputs);
            assertEquals(10_000, out.size());
            Set<TaskId> used = new HashSet<>();
            for (int i = 0; i < out.size(); i++) {
                JobOutcome o = out.get(i);
                assertEquals(i, o.index());
                assertTrue(o.success(), () -> o.toString());
                assertEquals(JobOutcome.Cause.RAN, o.cause());
                assertEquals(i * i, o.value());
                assertEquals(1, o.attempts());
                assertNotNull(o.host());
                used.add(o.task());
            }
            assertTrue(s.workers().containsAll(used), "jobs ran on the pool's workers");
            assertEquals(slots(), s.workers().size());
            assertTrue(runtimeTasks().containsAll(s.workers()), "workers are the runtime's tasks");
        }
    }

    @Test
    void unorderedFlowCompletesEveryJob() {
        try (JobPool pool = pool(PoolSettings.defaults().withQueueBound(64))) {
            List<JobOutcome> out = Source.range(0, 1999).map(i -> Job.of(Square.class, i).withIndex(i))
                    .via(pool.unorderedFlow()).runWith(Sink.seq(), kit.system()).toCompletableFuture().join();
            assertEquals(2000, out.size());
            Set<Long> seen = new HashSet<>();
            for (JobOutcome o : out) {
                assertTrue(o.success(), o::toString);
                assertEquals((int) (o.index() * o.index()), o.value());
                assertTrue(seen.add(o.index()), "one outcome per job");
            }
        }
    }

    @Test
    void aJobThatThrowsIsOneFailedOutcomeAndTheWorkerKeepsServing() throws Exception {
        try (JobPool pool = pool(PoolSettings.defaults().withWorkers(1))) {
            TaskId worker = awaitWorkers(pool, 1).workers().get(0);
            JobOutcome bad = await(pool.submit(Job.of(Thrower.class, "q").withIndex(1).withKey("k")));
            assertFalse(bad.success());
            assertEquals(JobOutcome.Cause.RAN, bad.cause());
            assertEquals("boom: q", bad.error().message());
            assertEquals(IllegalStateException.class.getName(), bad.error().className());
            assertEquals("k", bad.key());
            assertEquals(worker, bad.task());
            JobOutcome good = await(pool.submit(Job.of(Square.class, 5)));
            assertEquals(25, good.get());
            assertEquals(worker, good.task(), "the same worker");
            assertEquals(List.of(worker), status(pool).workers());
        }
    }

    @Test
    void aBadJobIsAClearFailedOutcome() throws Exception {
        try (JobPool pool = pool(PoolSettings.defaults().withWorkers(1))) {
            awaitWorkers(pool, 1);
            JobOutcome missing = await(pool.submit(new Job("no.such.Function", List.of(), 0, null, 1, null)));
            assertFalse(missing.success());
            assertTrue(missing.error().message().contains("not on the worker's classpath"), missing.error().message());
            JobOutcome unregistered = await(pool.submit(Job.of(Square.class, new Object() { })));
            assertFalse(unregistered.success());
            assertEquals(JobOutcome.Cause.REJECTED, unregistered.cause());
            assertTrue(unregistered.error().message().contains("not registered"), unregistered.error().message());
            List<JobOutcome> mixed = pool.run(List.of(Job.of(Square.class, 2).withIndex(0),
                    Job.of(UnregisteredResult.class).withIndex(1), Job.of(Square.class, 4).withIndex(2)));
            assertEquals(4, mixed.get(0).get(), "an unencodable result fails only its own job");
            assertFalse(mixed.get(1).success());
            assertEquals(JobOutcome.Cause.RAN, mixed.get(1).cause());
            assertTrue(mixed.get(1).error().message().contains("not registered"), mixed.get(1).error().message());
            assertEquals(16, mixed.get(2).get());
            assertEquals(9, await(pool.submit(Job.of(Square.class, 3))).get(), "the pool still serves");
        }
    }

    @Test
    void aJobTalksToThePoolsOwnerThroughItsContext() throws Exception {
        TestProbe<TaskMessage> questions = kit.createTestProbe();
        try (JobPool pool = JobPool.create(kit.system(), runtime, PoolSettings.defaults().withWorkers(1)
                .withJobMessages(questions.getRef()))) {
            var answer = pool.submit(Job.of(Asker.class, "ping"));
            TaskMessage q = questions.receiveMessage(LONG);
            assertEquals("ping", q.message());
            TestProbe<StatusReply<Done>> ack = kit.createTestProbe();
            runtime.tell(new PvmCommand.SendMessage(q.sender(), "pong", ack.getRef()));
            assertTrue(ack.receiveMessage(LONG).isSuccess());
            assertEquals("answer: pong", await(answer).get());
        }
    }

    @Test
    void aJobThatKillsItsWorkerGetsOneOutcomeAndTheWorkerIsReplaced() throws Exception {
        Path dir = Files.createTempDirectory("pool-death");
        try (JobPool pool = pool(PoolSettings.defaults().withWorkers(1).withPipelining(1))) {
            TaskId first = awaitWorkers(pool, 1).workers().get(0);
            JobOutcome lost = await(pool.submit(Job.of(dyingOnce(), dir.resolve("a").toString())));
            assertFalse(lost.success());
            assertEquals(JobOutcome.Cause.WORKER_DIED, lost.cause());
            assertEquals(1, lost.attempts());
            assertEquals(first, lost.task());
            assertTrue(lost.error().message().contains("ended"), lost.error().message());

            TaskId second = awaitWorkers(pool, 1).workers().get(0);
            assertNotEquals(first, second, "replaced");
            JobOutcome retried = await(pool.submit(Job.of(dyingOnce(), dir.resolve("b").toString()).withMaxAttempts(2)));
            assertEquals("survived", retried.get());
            assertEquals(2, retried.attempts());
            assertNotEquals(second, retried.task(), "ran again on another worker");
            List<JobOutcome> after = pool.map(Square.class, List.of(1, 2, 3));
            assertEquals(List.of(1, 4, 9), after.stream().map(JobOutcome::get).toList());
            assertFalse(runtimeTasks().contains(first));
        }
    }

    @Test
    void aHungJobTimesOutItsWorkerIsKilledAndReplaced() throws Exception {
        try (JobPool pool = pool(PoolSettings.defaults().withWorkers(1))) {
            TaskId first = awaitWorkers(pool, 1).workers().get(0);
            var hung = pool.submit(Job.of(Sleeper.class, 60_000).withTimeout(Duration.ofMillis(500)));
            var behind = pool.submit(Job.of(Square.class, 4));
            JobOutcome o = await(hung);
            assertEquals(JobOutcome.Cause.TIMED_OUT, o.cause());
            assertFalse(o.success());
            assertEquals(16, await(behind).get(), "the job queued behind the hung one runs on the replacement");
            assertEquals(1, await(behind).attempts());
            assertNotEquals(first, awaitWorkers(pool, 1).workers().get(0));
        }
    }

    @Test
    void aFullQueueRefusesClearly() throws Exception {
        try (JobPool pool = pool(PoolSettings.defaults().withWorkers(1).withPipelining(1).withQueueBound(2))) {
            awaitWorkers(pool, 1);
            List<CompletableFuture<JobOutcome>> os = new ArrayList<>();
            os.add(pool.submit(Job.of(Sleeper.class, 300).withIndex(0)).toCompletableFuture());
            long deadline = System.nanoTime() + LONG.toNanos();
            while (status(pool).inFlight() != 1) {
                assertTrue(System.nanoTime() < deadline, "the first job reached the worker");
                Thread.sleep(5);
            }
            for (int i = 1; i < 5; i++) {
                os.add(pool.submit(Job.of(Sleeper.class, 300).withIndex(i)).toCompletableFuture());
            }
            for (int i = 0; i < 5; i++) {
                JobOutcome o = await(os.get(i));
                if (i < 3) {
                    assertTrue(o.success(), o::toString);
                } else {
                    assertEquals(JobOutcome.Cause.QUEUE_FULL, o.cause());
                    assertTrue(o.error().message().contains("queue is full"), o.error().message());
                }
            }
        }
    }

    @Test
    void theActorProtocolRepliesInJobOrderOrAsCompleted() throws Exception {
        try (JobPool pool = pool(PoolSettings.defaults().withWorkers(2).withPipelining(1))) {
            awaitWorkers(pool, 2);
            TestProbe<JobOutcome> replies = kit.createTestProbe();
            List<Job> jobs = List.of(Job.of(Sleeper.class, 600).withIndex(0), Job.of(Sleeper.class, 10).withIndex(1));
            pool.ref().tell(new PoolCommand.SubmitBatch(jobs, true, replies.getRef()));
            assertEquals(0, replies.receiveMessage(LONG).index());
            assertEquals(1, replies.receiveMessage(LONG).index());
            pool.ref().tell(new PoolCommand.SubmitBatch(jobs, false, replies.getRef()));
            assertEquals(1, replies.receiveMessage(LONG).index(), "the short job first");
            assertEquals(0, replies.receiveMessage(LONG).index());
            replies.expectNoMessage(Duration.ofMillis(200));
        }
    }

    @Test
    void aSlowConsumerSlowsThePoolNothingPilesUp() throws Exception {
        int bound = 16;
        try (JobPool pool = pool(PoolSettings.defaults().withQueueBound(bound))) {
            awaitWorkers(pool, slots());
            AtomicInteger maxHeld = new AtomicInteger();
            var done = Source.range(0, 299).map(i -> Job.of(Square.class, i).withIndex(i)).via(pool.flow())
                    .map(o -> {
                        Thread.sleep(5); // the consumer: far slower than the pool
                        PoolStatus s = status(pool);
                        maxHeld.accumulateAndGet(s.queued() + s.inFlight(), Math::max);
                        return o;
                    }).runWith(Sink.seq(), kit.system()).toCompletableFuture();
            List<JobOutcome> out = done.get(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(300, out.size());
            for (int i = 0; i < 300; i++) {
                assertEquals(i, out.get(i).index());
                assertEquals(i * i, out.get(i).get());
            }
            assertTrue(maxHeld.get() <= bound, "at most the bound in the pool at once, was " + maxHeld.get());
        }
    }

    @Test
    void closingThePoolMidRunEndsEveryWorkerAndEveryJob() throws Exception {
        JobPool pool = pool(PoolSettings.defaults());
        List<TaskId> workers = awaitWorkers(pool, slots()).workers();
        List<CompletableFuture<JobOutcome>> os = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            os.add(pool.submit(Job.of(Sleeper.class, 200).withIndex(i)).toCompletableFuture());
        }
        Thread.sleep(300);
        pool.close();
        int shutDown = 0;
        for (CompletableFuture<JobOutcome> f : os) {
            JobOutcome o = await(f);
            if (!o.success()) {
                assertEquals(JobOutcome.Cause.POOL_SHUT_DOWN, o.cause(), o::toString);
                shutDown++;
            }
        }
        assertTrue(shutDown > 0, "jobs were still queued or running");
        List<TaskId> left = runtimeTasks();
        for (TaskId w : workers) {
            assertFalse(left.contains(w), "worker " + w + " ended");
        }
        assertArrayEquals(new Object[0], left.stream().filter(workers::contains).toArray());
    }
}
