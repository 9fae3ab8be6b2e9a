package org.pvmakka.javadsl.pool;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.pvmakka.internal.pool.PoolActor;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.task.TaskFunction;

/**
 * A job pool: warm worker JVMs that run a stream of {@link Job}s, each with exactly one
 * {@link JobOutcome}. Three ways in, one engine: the actor protocol ({@link #behavior}, {@link PoolCommand}),
 * this facade ({@link #submit}, {@link #map}) and Akka Streams ({@link #flow}, {@link #unorderedFlow}).
 */
public final class JobPool implements AutoCloseable {
    private static final AtomicLong NAMES = new AtomicLong();
    /** How long the facade waits for one job's outcome. */
    static final Duration OUTCOME_WAIT = Duration.ofDays(7);

    /** The streams hand the pool jobs in batches of at most this many. */
    static final int STREAM_BATCH = 256;

    private final ActorSystem<?> system;
    private final ActorRef<Object> internal;
    private final ActorRef<PoolCommand> ref;
    private final PoolSettings settings;
    private volatile boolean closed;

    private JobPool(ActorSystem<?> system, ActorRef<Object> internal, PoolSettings settings) {
        this.system = system;
        this.internal = internal;
        this.ref = internal.narrow();
        this.settings = settings;
    }

    /**
     * The pool as an actor over {@code runtime}, to spawn as a child; it owns its workers.
     *
     * @param runtime the pvm-akka runtime that spawns the workers
     * @param settings how the pool is sized
     * @return the pool's behavior
     */
    public static Behavior<PoolCommand> behavior(ActorRef<PvmCommand> runtime, PoolSettings settings) {
        return PoolActor.create(runtime, settings);
    }

    /**
     * Starts a pool over {@code runtime} as a system actor of {@code system}.
     *
     * @param system the actor system to run the pool in
     * @param runtime the pvm-akka runtime that spawns the workers
     * @param settings how the pool is sized
     * @return the facade; close it to shut the pool down
     */
    public static JobPool create(ActorSystem<?> system, ActorRef<PvmCommand> runtime, PoolSettings settings) {
        ActorRef<Object> ref = system.systemActorOf(PoolActor.createInternal(runtime, settings),
                "job-pool-" + NAMES.incrementAndGet(), Props.empty());
        return new JobPool(system, ref, settings);
    }

    /** {@return the pool's actor} */
    public ActorRef<PoolCommand> ref() {
        return ref;
    }

    /**
     * Runs one job.
     *
     * @param job the job
     * @return its outcome; a refused job's cause is {@link JobOutcome.Cause#QUEUE_FULL}, after close
     *     {@link JobOutcome.Cause#POOL_SHUT_DOWN}
     */
    public CompletionStage<JobOutcome> submit(Job job) {
        if (closed) {
            return java.util.concurrent.CompletableFuture.completedFuture(shutDown(job));
        }
        return AskPattern.ask(ref, r -> new PoolCommand.Submit(job, r), OUTCOME_WAIT, system.scheduler());
    }

    /**
     * PyOPUS's {@code dispatch}: runs {@code function} once per input (the input its only argument, the
     * job's index its position) and blocks until every outcome is in.
     *
     * @param function the task function
     * @param inputs one argument per job
     * @return the outcomes, in input order
     */
    public List<JobOutcome> map(Class<? extends TaskFunction> function, List<?> inputs) {
        List<Job> jobs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            jobs.add(Job.of(function, inputs.get(i)).withIndex(i));
        }
        return run(jobs);
    }

    /**
     * Runs the jobs and blocks until every outcome is in.
     *
     * @param jobs the jobs
     * @return the outcomes, in job order
     */
    public List<JobOutcome> run(Iterable<Job> jobs) {
        return Source.from(jobs).via(flow()).runWith(Sink.seq(), system).toCompletableFuture().join();
    }

    /**
     * Jobs in, outcomes out in job order, with back-pressure: at most the pool's queue bound in flight, so
     * a slow consumer slows the pool and nothing piles up.
     *
     * @return a flow from jobs to their outcomes
     */
    public Flow<Job, JobOutcome, NotUsed> flow() {
        return batches().mapAsync(parallelism(), this::submitAll).mapConcat(l -> l);
    }

    /** {@return a flow as {@link #flow()}, outcomes as they complete (a batch of jobs at a time)} */
    public Flow<Job, JobOutcome, NotUsed> unorderedFlow() {
        return batches().mapAsyncUnordered(parallelism(), this::submitAll).mapConcat(l -> l);
    }

    /** Jobs grouped as they come (at most {@link #STREAM_BATCH}, waiting at most 1 ms): one message per batch. */
    private Flow<Job, List<Job>, NotUsed> batches() {
        return Flow.<Job>create().groupedWithin(batchSize(), Duration.ofMillis(1));
    }

    private int batchSize() {
        return Math.max(1, Math.min(STREAM_BATCH, settings.queueBound() / 4));
    }

    /** Batches in flight: at most the queue bound of jobs. */
    private int parallelism() {
        return Math.max(1, settings.queueBound() / batchSize());
    }

    private CompletionStage<List<JobOutcome>> submitAll(List<Job> jobs) {
        java.util.concurrent.CompletableFuture<List<JobOutcome>> f = new java.util.concurrent.CompletableFuture<>();
        if (closed) {
            f.complete(jobs.stream().map(JobPool::shutDown).toList());
        } else {
            internal.tell(new PoolActor.SubmitForFuture(jobs, f));
        }
        return f;
    }

    private static JobOutcome shutDown(Job job) {
        return new JobOutcome(job.index(), job.key(), false, null, org.pvmakka.task.RemoteError.of(
                JobOutcome.Cause.class.getName() + "." + JobOutcome.Cause.POOL_SHUT_DOWN, "the pool is shut down"),
                JobOutcome.Cause.POOL_SHUT_DOWN, null, null, 0);
    }

    /** {@return a snapshot of the pool} */
    public CompletionStage<PoolStatus> status() {
        return AskPattern.ask(ref, PoolCommand.GetStatus::new, Duration.ofSeconds(30), system.scheduler());
    }

    /**
     * Ends the pool and its workers: queued and running jobs end with {@link JobOutcome.Cause#POOL_SHUT_DOWN}.
     *
     * @return completes once every worker has exited
     */
    public CompletionStage<Done> shutdown() {
        closed = true;
        return AskPattern.ask(ref, PoolCommand.Shutdown::new, Duration.ofSeconds(90), system.scheduler());
    }

    /** {@link #shutdown()} and wait. */
    @Override
    public void close() {
        shutdown().toCompletableFuture().join();
    }
}
