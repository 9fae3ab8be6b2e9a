package org.pvmakka.internal.pool;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pvmakka.internal.wire.PoolWire;
import org.pvmakka.internal.worker.PoolWorker;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.MsgTaskOutput;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolSettings;
import org.pvmakka.javadsl.pool.PoolStatus;
import org.pvmakka.task.HostId;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;

/**
 * A job pool: owns warm {@link PoolWorker} tasks spawned through the runtime (it is their owner: it gets
 * their messages and exits), keeps a bounded queue and hands jobs to workers in batches, at most
 * {@link PoolSettings#pipelining()} per worker. Sizes itself to the responsive hosts' free slots (or a
 * fixed count), replaces workers that die, grows and shrinks with host events. A job lost with its
 * worker runs again when its {@code maxAttempts} allows, else ends with the cause; a job over its
 * time-out has its worker killed. Every job gets exactly one outcome.
 */
public final class PoolActor extends AbstractBehavior<Object> {
    /** Consecutive workers that die before saying hello after which the pool stops spawning. */
    static final int CRASH_LOOP_LIMIT = 3;
    private static final Duration TICK = Duration.ofMillis(50);
    private static final Duration ASK = Duration.ofSeconds(60);
    /** How long a shutdown waits for its workers' exits (a kill escalates to SIGKILL after 3 s by default). */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Work the pool keeps handed to each worker: enough to cover a round trip on a loaded machine. */
    static final long PIPELINE_NANOS = 20_000_000;
    /** Jobs handed to a worker at a time before the pool has measured how long jobs take. */
    static final int FIRST_DEPTH = 8;

    private final ActorRef<PvmCommand> runtime;
    private final PoolSettings settings;
    private final TimerScheduler<Object> timers;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Map<Long, Pending> inFlight = new HashMap<>();
    private final Map<TaskId, Worker> workers = new LinkedHashMap<>();
    private final Set<TaskId> exitedEarly = new HashSet<>();
    private final Set<HostId> unresponsive = new HashSet<>();
    private final List<ActorRef<Done>> shutdownReplies = new ArrayList<>();
    private long nextSeq;
    private long completed;
    private final EnumMap<JobOutcome.Cause, Long> outcomes = new EnumMap<>(JobOutcome.Cause.class);
    private int spawnsInFlight;
    private boolean statusAsked;
    private boolean planAgain;
    private int crashes;
    private boolean shuttingDown;
    private boolean dispatchScheduled;
    /** Running average of one job's run time on a worker, 0 until measured. */
    private double jobNanos;

    /** One job waiting or running. */
    private static final class Pending {
        final long seq;
        final Job job;
        final OutcomeSink sink;
        final int position;
        int attempts;
        Worker worker;
        HostId host;
        TaskId task;

        Pending(long seq, Job job, OutcomeSink sink, int position) {
            this.seq = seq;
            this.job = job;
            this.sink = sink;
            this.position = position;
        }
    }

    /** One worker task. */
    private static final class Worker {
        final TaskId id;
        HostId host;
        boolean ready;
        boolean draining;
        Pending timedOut;
        final ArrayDeque<Pending> jobs = new ArrayDeque<>();
        long headSince;

        Worker(TaskId id) {
            this.id = id;
        }
    }

    private record SpawnReply(StatusReply<Spawned> reply, Throwable failure) {
    }

    private record StatusGot(StatusReply<VmStatus> reply, Throwable failure) {
    }

    private record SendFailed(TaskId worker, List<Long> seqs, String error) {
    }

    private enum Internal { TICK, IGNORE, PLAN, GIVE_UP_SHUTDOWN, DISPATCH }

    /**
     * A batch from the in-JVM facade: its outcomes complete {@code result} in the batch's order (one
     * message each way per batch, not per job). Refused whole when it does not fit in the queue.
     */
    public record SubmitForFuture(List<Job> jobs, java.util.concurrent.CompletableFuture<List<JobOutcome>> result) {
    }

    /** The pool's behavior, for {@code runtime}. */
    public static Behavior<PoolCommand> create(ActorRef<PvmCommand> runtime, PoolSettings settings) {
        return createInternal(runtime, settings).narrow();
    }

    /** The pool's behavior, accepting {@link SubmitForFuture} too. */
    public static Behavior<Object> createInternal(ActorRef<PvmCommand> runtime, PoolSettings settings) {
        if (runtime == null || settings == null) {
            throw new IllegalArgumentException("a pool needs a runtime and settings");
        }
        return Behaviors.<Object>setup(ctx -> Behaviors.withTimers(timers -> new PoolActor(ctx, timers, runtime,
                settings)));
    }

    private PoolActor(ActorContext<Object> ctx, TimerScheduler<Object> timers, ActorRef<PvmCommand> runtime,
            PoolSettings settings) {
        super(ctx);
        this.runtime = runtime;
        this.settings = settings;
        this.timers = timers;
        runtime.tell(new PvmCommand.SubscribeHostEvents(ctx.getSelf().narrow()));
        ctx.getSystem().receptionist().tell(Receptionist.register(PoolRegistry.key(runtime),
                ctx.getSelf().<PoolCommand>narrow()));
        timers.startTimerWithFixedDelay(Internal.TICK, TICK);
        plan();
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(PoolCommand.Submit.class, this::onSubmit)
                .onMessage(PoolCommand.SubmitBatch.class, b -> submitAll(b.jobs(), b.ordered()
                        ? new OrderedReplies(b.replyTo(), b.jobs().size()) : OutcomeSink.direct(b.replyTo())))
                .onMessage(SubmitForFuture.class, b -> submitAll(b.jobs(), new FutureReplies(b.result(), b.jobs().size())))
                .onMessage(PoolCommand.GetStatus.class, this::onGetStatus)
                .onMessage(PoolCommand.Shutdown.class, this::onShutdown)
                .onMessage(TaskMessage.class, this::onTaskMessage)
                .onMessage(MsgTaskExit.class, this::onExit)
                .onMessage(MsgTaskResult.class, m -> this)
                .onMessage(MsgTaskOutput.class, m -> this)
                .onMessage(HostEvent.class, this::onHostEvent)
                .onMessage(SpawnReply.class, this::onSpawnReply)
                .onMessage(StatusGot.class, this::onStatus)
                .onMessage(SendFailed.class, this::onSendFailed)
                .onMessageEquals(Internal.TICK, this::onTick)
                .onMessageEquals(Internal.PLAN, () -> {
                    plan();
                    return this;
                })
                .onMessageEquals(Internal.GIVE_UP_SHUTDOWN, this::stopNow)
                .onMessageEquals(Internal.IGNORE, () -> this)
                .onMessageEquals(Internal.DISPATCH, () -> {
                    dispatchScheduled = false;
                    dispatchNow();
                    return this;
                })
                .onSignal(PostStop.class, s -> onPostStop())
                .build();
    }

    // ---- submissions

    private Behavior<Object> onSubmit(PoolCommand.Submit s) {
        OutcomeSink sink = OutcomeSink.direct(s.replyTo());
        Pending p = new Pending(nextSeq++, s.job(), sink, 0);
        if (refused(p, 1)) {
            return this;
        }
        queue.add(p);
        planIfIdle();
        dispatch();
        return this;
    }

    private Behavior<Object> submitAll(List<Job> jobs, OutcomeSink sink) {
        List<Pending> ps = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            ps.add(new Pending(nextSeq++, jobs.get(i), sink, i));
        }
        if (ps.isEmpty()) {
            return this;
        }
        if (shuttingDown || queue.size() + ps.size() > settings.queueBound()) {
            for (Pending p : ps) {
                refused(p, ps.size());
            }
            return this;
        }
        queue.addAll(ps);
        planIfIdle();
        dispatch();
        return this;
    }

    /** A job came while the pool has no worker and is not starting one: try (again) to start some. */
    private void planIfIdle() {
        if (workers.isEmpty() && spawnsInFlight == 0 && !statusAsked) {
            plan();
        }
    }

    /** Ends {@code p} when the pool is shutting down or the queue has no room for {@code n} jobs. */
    private boolean refused(Pending p, int n) {
        if (shuttingDown) {
            end(p, JobOutcome.Cause.POOL_SHUT_DOWN, "the pool is shut down");
            return true;
        }
        if (queue.size() + n > settings.queueBound()) {
            end(p, JobOutcome.Cause.QUEUE_FULL, "the pool's queue is full (" + queue.size() + " of "
                    + settings.queueBound() + " waiting" + (n > 1 ? ", batch of " + n : "") + ")");
            return true;
        }
        return false;
    }

    private Behavior<Object> onGetStatus(PoolCommand.GetStatus g) {
        List<TaskId> serving = new ArrayList<>();
        int starting = 0;
        for (Worker w : workers.values()) {
            if (w.ready && !w.draining) {
                serving.add(w.id);
            } else if (!w.ready) {
                starting++;
            }
        }
        g.replyTo().tell(new PoolStatus(serving, starting, queue.size(), inFlight.size(), completed,
                outcomes));
        return this;
    }

    // ---- dispatch

    /**
     * Dispatches once the mailbox has been worked through, so that jobs submitted together, or freed
     * by outcomes that came together, go to a worker in one message.
     */
    private void dispatch() {
        if (!dispatchScheduled && !queue.isEmpty() && !shuttingDown) {
            dispatchScheduled = true;
            getContext().getSelf().tell(Internal.DISPATCH);
        }
    }

    /** Jobs per worker at a time: about {@link #PIPELINE_NANOS} of work, at most the settings' pipelining. */
    private int depth() {
        int max = settings.pipelining();
        if (jobNanos <= 0) {
            return Math.min(max, FIRST_DEPTH);
        }
        return (int) Math.max(1, Math.min(max, Math.ceil(PIPELINE_NANOS / jobNanos)));
    }

    private void dispatchNow() {
        if (queue.isEmpty() || shuttingDown) {
            return;
        }
        int depth = depth();
        // an idle worker gets what there is; a busy one is topped up once it is down to half its depth and
        // a quarter depth of jobs waits: jobs go out in batches, not one by one, however they trickle in
        boolean enough = queue.size() >= Math.max(1, depth / 4);
        List<Worker> ready = new ArrayList<>();
        for (Worker w : workers.values()) {
            if (w.ready && !w.draining && (w.jobs.isEmpty() || (enough && w.jobs.size() <= depth / 2))) {
                ready.add(w);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        Map<Worker, List<Pending>> batches = new LinkedHashMap<>();
        long now = System.nanoTime();
        while (!queue.isEmpty()) {
            Worker best = null;
            for (Worker w : ready) {
                if (best == null || w.jobs.size() < best.jobs.size()) {
                    best = w;
                }
            }
            if (best.jobs.size() >= depth) {
                break;
            }
            Pending p = queue.poll();
            p.attempts++;
            p.worker = best;
            p.host = best.host;
            p.task = best.id;
            if (best.jobs.isEmpty()) {
                best.headSince = now;
            }
            best.jobs.add(p);
            inFlight.put(p.seq, p);
            batches.computeIfAbsent(best, w -> new ArrayList<>()).add(p);
        }
        batches.forEach(this::send);
    }

    private void send(Worker w, List<Pending> batch) {
        ArrayList<PoolWire.Job> jobs = new ArrayList<>(batch.size());
        List<Long> seqs = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            jobs.add(new PoolWire.Job(p.seq, p.job.functionClass(), p.job.args()));
            seqs.add(p.seq);
        }
        TaskId to = w.id;
        getContext().<PvmCommand, StatusReply<Done>>ask(statusReplyClass(), runtime, ASK,
                r -> new PvmCommand.SendMessage(to, new PoolWire.Jobs(jobs), r),
                (reply, failure) -> reply != null && reply.isError()
                        ? new SendFailed(to, seqs, String.valueOf(reply.getError().getMessage()))
                        : Internal.IGNORE);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Class<StatusReply<T>> statusReplyClass() {
        return (Class) StatusReply.class;
    }

    /** A send the runtime refused: an encoding problem ends the job that caused it; a dead worker's exit follows. */
    private Behavior<Object> onSendFailed(SendFailed f) {
        Worker w = workers.get(f.worker());
        String e = f.error();
        boolean wire = e.contains("register") || e.contains("encode") || e.contains("maximum message size");
        if (w == null || !wire) {
            getContext().getLog().debug("pool: send to {} failed: {}", f.worker(), e);
            return this;
        }
        if (f.seqs().size() > 1) {
            for (Long seq : f.seqs()) {
                Pending p = inFlight.get(seq);
                if (p != null && p.worker == w) {
                    send(w, List.of(p));
                }
            }
            return this;
        }
        Pending p = inFlight.get(f.seqs().get(0));
        if (p != null && p.worker == w) {
            inFlight.remove(p.seq);
            w.jobs.remove(p);
            end(p, JobOutcome.Cause.REJECTED, e);
            dispatch();
        }
        return this;
    }

    // ---- from the workers

    private Behavior<Object> onTaskMessage(TaskMessage m) {
        Object msg = m.message();
        if (msg instanceof PoolWire.Results r) {
            Worker w = workers.get(m.sender());
            if (w == null) {
                return this;
            }
            for (PoolWire.Result res : r.results()) {
                Pending p = inFlight.get(res.id());
                if (p == null || p.worker != w) {
                    continue;
                }
                inFlight.remove(res.id());
                w.jobs.remove(p);
                completed++;
                outcomes.merge(JobOutcome.Cause.RAN, 1L, Long::sum);
                deliver(p, new JobOutcome(p.job.index(), p.job.key(), res.success(), res.value(), res.error(),
                        JobOutcome.Cause.RAN, p.host, p.task, p.attempts));
            }
            if (!r.results().isEmpty() && r.runNanos() > 0) {
                double perJob = (double) r.runNanos() / r.results().size();
                jobNanos = jobNanos <= 0 ? perJob : 0.8 * jobNanos + 0.2 * perJob;
            }
            w.headSince = System.nanoTime();
            dispatch();
        } else if (msg instanceof PoolWire.Hello h) {
            Worker w = workers.computeIfAbsent(m.sender(), Worker::new);
            w.host = h.host();
            w.ready = true;
            crashes = 0;
            if (shuttingDown) {
                kill(w);
            } else if (unresponsive.contains(w.host)) {
                drain(w);
            }
            dispatch();
        } else if (settings.jobMessages() != null) {
            settings.jobMessages().tell(m);
        }
        return this;
    }

    private Behavior<Object> onExit(MsgTaskExit x) {
        Worker w = workers.remove(x.taskId());
        if (w == null) {
            exitedEarly.add(x.taskId());
            return this;
        }
        if (!w.ready && !shuttingDown) {
            crashes++;
            getContext().getLog().warn("pool worker {} ended before serving: {} {}", x.taskId(), x.cause(), x.detail());
        }
        boolean hostLost = x.cause() == MsgTaskExit.Cause.HOST_LOST || x.cause() == MsgTaskExit.Cause.VM_LOST;
        JobOutcome.Cause lost = hostLost ? JobOutcome.Cause.HOST_LOST : JobOutcome.Cause.WORKER_DIED;
        String why = "worker " + x.taskId() + (w.host != null ? " on " + w.host.name() : "") + " ended (" + x.cause()
                + (x.detail().isEmpty() ? "" : ": " + x.detail()) + ")";
        List<Pending> again = new ArrayList<>();
        for (Pending p : w.jobs) {
            inFlight.remove(p.seq);
            if (shuttingDown) {
                end(p, JobOutcome.Cause.POOL_SHUT_DOWN, "the pool was shut down while the job ran");
            } else if (p == w.timedOut) {
                end(p, JobOutcome.Cause.TIMED_OUT, "the job ran longer than its time-out of " + p.job.timeout()
                        + "; its worker was killed");
            } else if (w.timedOut != null) {
                p.attempts--; // behind a hung job: it never started
                again.add(p);
            } else if (p.attempts < p.job.maxAttempts()) {
                again.add(p);
            } else {
                end(p, lost, why + " with the job in flight, after " + p.attempts + " attempt(s)");
            }
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            queue.addFirst(again.get(i));
        }
        if (shuttingDown) {
            return maybeFinishShutdown(); // the last worker's exit stops the pool
        }
        plan();
        dispatch();
        return this;
    }

    // ---- time-outs

    private Behavior<Object> onTick() {
        long now = System.nanoTime();
        for (Worker w : workers.values()) {
            Pending head = w.jobs.peek();
            if (head != null && w.timedOut == null && head.job.timeout() != null
                    && now - w.headSince > head.job.timeout().toNanos()) {
                getContext().getLog().info("pool: job {} on {} over its time-out {}: killing the worker", head.job.index(),
                        w.id, head.job.timeout());
                w.timedOut = head;
                kill(w);
                plan();
            }
        }
        // a safety net for liveness: queued jobs are never left without a plan to serve them
        if (!shuttingDown && !queue.isEmpty()) {
            boolean serving = workers.values().stream().anyMatch(w -> !w.draining);
            if (serving) {
                dispatch();
            } else if (spawnsInFlight == 0 && !statusAsked && !timers.isTimerActive(Internal.PLAN)) {
                plan();
            }
        }
        return this;
    }

    private void kill(Worker w) {
        w.draining = true;
        runtime.tell(new PvmCommand.KillTask(w.id, getContext().getSystem().ignoreRef()));
    }

    private void drain(Worker w) {
        if (!w.draining) {
            w.draining = true;
            runtime.tell(new PvmCommand.SendMessage(w.id, new PoolWire.Stop(), getContext().getSystem().ignoreRef()));
        }
    }

    // ---- sizing

    private Behavior<Object> onHostEvent(HostEvent e) {
        if (e instanceof HostEvent.MsgHostResponsive r) {
            if (r.responsive()) {
                unresponsive.remove(r.host());
            } else {
                unresponsive.add(r.host());
                for (Worker w : workers.values()) {
                    if (r.host().equals(w.host)) {
                        drain(w);
                    }
                }
            }
        }
        plan();
        return this;
    }

    /** Asks for a status and sizes the pool by it (once at a time). */
    private void plan() {
        if (shuttingDown) {
            return;
        }
        if (statusAsked || spawnsInFlight > 0) {
            planAgain = true;
            return;
        }
        statusAsked = true;
        planAgain = false;
        getContext().<PvmCommand, StatusReply<VmStatus>>ask(statusReplyClass(), runtime, ASK,
                PvmCommand.GetStatus::new, StatusGot::new);
    }

    private Behavior<Object> onStatus(StatusGot g) {
        statusAsked = false;
        if (shuttingDown) {
            return this;
        }
        if (g.reply() == null || g.reply().isError()) {
            getContext().getLog().warn("pool: no status from the runtime ({}); trying again",
                    g.failure() != null ? g.failure().getMessage() : g.reply().getError().getMessage());
            timers.startSingleTimer(Internal.PLAN, Duration.ofSeconds(1));
            return this;
        }
        VmStatus s = g.reply().getValue();
        if (crashes >= CRASH_LOOP_LIMIT) {
            failQueueIfNoWorkers("pool workers keep dying before they serve (" + crashes
                    + " in a row; see the log): not starting more");
            return this;
        }
        if (settings.workers() != null) {
            long serving = workers.values().stream().filter(w -> !w.draining).count();
            int deficit = (int) (settings.workers() - serving);
            if (deficit > 0 && s.slots() > 0) {
                spawn(deficit, List.of());
            }
        } else {
            for (HostStatus h : s.hosts()) {
                if (!h.responsive() || unresponsive.contains(h.id())) {
                    continue;
                }
                int ours = 0;
                List<Worker> serving = new ArrayList<>();
                for (TaskStatus t : s.tasks()) {
                    Worker w = workers.get(t.id());
                    if (t.hostDtid() == h.id().dtid() && w != null) {
                        ours++;
                        if (!w.draining) {
                            serving.add(w);
                        }
                    }
                }
                int others = Math.max(0, h.tasks() - ours);
                int desired = (int) Math.floor(settings.workersPerSlot() * Math.max(0, h.slots() - others));
                int deficit = desired - serving.size();
                if (deficit > 0) {
                    spawn(deficit, List.of(h.id()));
                } else if (deficit < 0) {
                    serving.sort((a, b) -> Integer.compare(a.jobs.size(), b.jobs.size()));
                    for (int i = 0; i < -deficit; i++) {
                        drain(serving.get(i));
                    }
                }
            }
        }
        if (spawnsInFlight == 0) {
            if (workers.isEmpty() && !queue.isEmpty() && ++plansWithoutSlot < NO_SLOT_PLANS) {
                // slots may be freeing up (another pool's workers ending): look again before refusing the jobs
                timers.startSingleTimer(Internal.PLAN, NO_SLOT_RETRY);
            } else {
                failQueueIfNoWorkers("no responsive host has a free slot for a pool worker (looked "
                        + plansWithoutSlot + " times over " + NO_SLOT_RETRY.multipliedBy(plansWithoutSlot).toMillis()
                        + " ms)");
                plansWithoutSlot = 0;
            }
            if (planAgain) {
                plan();
            }
        } else {
            plansWithoutSlot = 0;
        }
        return this;
    }

    /** How often, and how far apart, a pool without workers looks for a free slot before it refuses its jobs. */
    static final int NO_SLOT_PLANS = 6;
    static final Duration NO_SLOT_RETRY = Duration.ofMillis(500);
    private int plansWithoutSlot;

    private void spawn(int count, List<HostId> targets) {
        spawnsInFlight++;
        SpawnSpec spec = new SpawnSpec(PoolWorker.class.getName(), List.of(), count, targets, true, true);
        getContext().<PvmCommand, StatusReply<Spawned>>ask(statusReplyClass(), runtime, ASK,
                r -> new PvmCommand.SpawnFunction(spec, getContext().getSelf().narrow(), r), SpawnReply::new);
    }

    private Behavior<Object> onSpawnReply(SpawnReply r) {
        spawnsInFlight--;
        if (r.reply() == null || r.reply().isError()) {
            crashes++;
            getContext().getLog().warn("pool: spawning workers failed: {}",
                    r.failure() != null ? r.failure().getMessage() : r.reply().getError().getMessage());
        } else {
            Spawned s = r.reply().getValue();
            if (!s.failures().isEmpty()) {
                getContext().getLog().warn("pool: {} worker(s) did not start: {}", s.failures().size(), s.failures());
            }
            for (TaskId t : s.tasks()) {
                if (exitedEarly.remove(t)) {
                    continue;
                }
                Worker w = workers.computeIfAbsent(t, Worker::new);
                if (shuttingDown) {
                    kill(w);
                }
            }
        }
        if (shuttingDown) {
            return maybeFinishShutdown();
        } else if (spawnsInFlight == 0) {
            failQueueIfNoWorkers("no pool worker could be started");
            if (planAgain) {
                plan();
            }
        }
        return this;
    }

    private void failQueueIfNoWorkers(String why) {
        if (workers.isEmpty() && spawnsInFlight == 0) {
            for (Pending p; (p = queue.poll()) != null; ) {
                end(p, JobOutcome.Cause.NO_WORKERS, why);
            }
        }
    }

    // ---- shutdown

    private Behavior<Object> onShutdown(PoolCommand.Shutdown s) {
        shutdownReplies.add(s.replyTo());
        if (!shuttingDown) {
            shuttingDown = true;
            for (Pending p; (p = queue.poll()) != null; ) {
                end(p, JobOutcome.Cause.POOL_SHUT_DOWN, "the pool was shut down before the job ran");
            }
            for (Worker w : workers.values()) {
                kill(w);
            }
            timers.startSingleTimer(Internal.GIVE_UP_SHUTDOWN, SHUTDOWN_GRACE); // then stop without late exits
        }
        return maybeFinishShutdown();
    }

    private Behavior<Object> maybeFinishShutdown() {
        if (workers.isEmpty() && spawnsInFlight == 0) {
            return stopNow();
        }
        return this;
    }

    private Behavior<Object> stopNow() {
        for (Pending p : new ArrayList<>(inFlight.values())) {
            end(p, JobOutcome.Cause.POOL_SHUT_DOWN, "the pool was shut down while the job ran");
        }
        inFlight.clear();
        shutdownReplies.forEach(r -> r.tell(Done.getInstance()));
        return Behaviors.stopped();
    }

    private Behavior<Object> onPostStop() {
        runtime.tell(new PvmCommand.UnsubscribeHostEvents(getContext().getSelf().narrow()));
        for (Worker w : workers.values()) {
            runtime.tell(new PvmCommand.KillTask(w.id, getContext().getSystem().ignoreRef()));
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            end(p, JobOutcome.Cause.POOL_SHUT_DOWN, "the pool stopped");
        }
        for (Iterator<Pending> it = inFlight.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            it.remove();
            end(p, JobOutcome.Cause.POOL_SHUT_DOWN, "the pool stopped");
        }
        return this;
    }

    // ---- outcomes

    private void end(Pending p, JobOutcome.Cause cause, String why) {
        completed++;
        outcomes.merge(cause, 1L, Long::sum);
        deliver(p, new JobOutcome(p.job.index(), p.job.key(), false, null,
                RemoteError.of(JobOutcome.Cause.class.getName() + "." + cause, why), cause, p.host, p.task, p.attempts));
    }

    private static void deliver(Pending p, JobOutcome o) {
        p.sink.deliver(p.position, o);
    }
}
