package org.pvmakka.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;
import org.pvmakka.internal.bridge.HostInfo;
import org.pvmakka.internal.bridge.HostResult;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.bridge.VmConfig;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.task.HostId;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskId;

/**
 * A PVM virtual machine inside this JVM, for tests: hosts with a declared name, architecture, speed
 * and cores; tids and dtids in PVM's formats; spawned pvm-akka workers run for real, each on its
 * own thread with its own {@link SimulatedPvm}, exchanging messages and sending results; notifies
 * as the real pvmd sends them. {@link #attach()} enrolls a process (the runtime) as a
 * {@link SimulatedPvm}; {@code cluster::attach} is a {@link org.pvmakka.internal.bridge.PvmFactory}.
 *
 * <p>Faults are scripted from the test: {@link #addHost}, {@link #declareHost} (a machine that
 * {@code pvm_addhosts} can add), {@link #failHost} (its tasks die,
 * HostDelete and TaskExit fire as pvmd fires them), {@link #killTask}, {@link #setUnresponsive}
 * (spawns there fail, its messages are held), {@link #delayMessages}. Delays come from a generator
 * seeded with {@link #seed()}, one stream per sending task, so a scenario replays with the same
 * delays; {@link #journal()} lists what the simulator did. Thread-safe.
 *
 * <p>What differs from a real pvmd: only pvm-akka worker command lines can be spawned (other
 * programs fail with {@link PvmError#NOT_IMPL}); a task's stdout is this JVM's (no output
 * forwarding); every task reports this JVM's PID; a function that ignores interrupts keeps its
 * thread after its task was killed (nothing it sends gets out).
 */
public final class SimulatedCluster implements AutoCloseable {
    /** The architecture of {@link #addHost(String, int)}. */
    public static final String DEFAULT_ARCH = "LINUX64";
    /** The speed of {@link #addHost(String, int)} (PVM's hostfile default). */
    public static final int DEFAULT_SPEED = 1000;

    /** The master host: the first one added; the VM dies with it. */
    private static final int MASTER = 1;
    private static final int SUPPORTED_SPAWN_FLAGS = 1 | 2 | 0x20; // PvmTaskHost | PvmTaskArch | PvmHostCompl
    private static final int JOURNAL_LIMIT = 10_000;

    final ReentrantLock lock = new ReentrantLock();
    private final long seed;
    private final ScheduledThreadPoolExecutor clock;
    private final Executor callbacks;
    private final Network network;
    private final NotifyTable notifies = new NotifyTable();
    private final TaskPlacement placement = new TaskPlacement();
    private final TreeMap<Integer, SimHost> hosts = new TreeMap<>();
    /** Every machine pvm_addhosts can add: declared ones and every host that was in the VM. */
    private final Map<String, SimHost> machines = new LinkedHashMap<>();
    private final TreeMap<Integer, SimTask> tasks = new TreeMap<>();
    private final ArrayDeque<String> journal = new ArrayDeque<>();
    private final ClassLoader loader;
    private final long pid = ProcessHandle.current().pid();
    private int nextIndex = MASTER;
    private String downReason;

    /**
     * An empty virtual machine: add hosts with {@link #addHost}; the first one is the master.
     *
     * @param seed seeds the message delays
     */
    public SimulatedCluster(long seed) {
        this.seed = seed;
        this.clock = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pvm-sim-clock");
            t.setDaemon(true);
            return t;
        });
        clock.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.callbacks = r -> {
            try {
                clock.execute(r);
            } catch (RejectedExecutionException closed) {
                // the cluster was closed: nobody waits any more
            }
        };
        this.network = new Network(lock, clock, new Network.Endpoints() {
            @Override
            public boolean held(int from, int to) {
                return unresponsive(from) || unresponsive(to);
            }

            @Override
            public void deliver(int to, Inbound in) {
                SimTask t = tasks.get(to);
                if (t != null && t.alive) {
                    t.mailbox.put(in);
                }
            }

            @Override
            public void journal(String entry) {
                SimulatedCluster.this.journal(entry);
            }
        }, seed);
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        this.loader = cl != null ? cl : SimulatedCluster.class.getClassLoader();
    }

    /** {@return the seed of the message delays} */
    public long seed() {
        return seed;
    }

    // ---------------------------------------------------------------- test API: faults and facts

    /**
     * Adds a host of architecture {@value #DEFAULT_ARCH} and speed {@value #DEFAULT_SPEED}; see
     * {@link #addHost(String, String, int, int)}.
     *
     * @param name the host name
     * @param cores what the reporter task measures there
     * @return the new host's ID
     */
    public HostId addHost(String name, int cores) {
        return addHost(name, DEFAULT_ARCH, DEFAULT_SPEED, cores);
    }

    /**
     * Adds a host, as {@code pvm_addhosts} would: it gets the next dtid (0x40000, 0x80000, ... in
     * the order hosts are added, never reused) and HostAdd notifies fire with it.
     *
     * @param name the host name
     * @param arch its PVM architecture
     * @param speed its relative speed, positive
     * @param cores what the reporter task measures there, positive
     * @return the new host's ID
     * @throws IllegalArgumentException when a host of that name is in the VM, or for a bad fact
     */
    public HostId addHost(String name, String arch, int speed, int cores) {
        checkHostFacts(name, arch, speed, cores);
        lock.lock();
        try {
            checkUp();
            if (live(name).isPresent()) {
                throw new IllegalArgumentException("host " + name + " is already in the virtual machine");
            }
            SimHost h = join(name, arch, speed, cores);
            announce(List.of(h.dtid));
            return h.id();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Declares a machine that is not in the virtual machine but that {@code pvm_addhosts} can add
     * (like a hostfile entry {@code &name}); {@code addHosts} of other names fails with
     * {@link PvmError#NO_HOST}.
     *
     * @param name the host name
     * @param arch its PVM architecture
     * @param speed its relative speed, positive
     * @param cores what the reporter task measures there, positive
     * @throws IllegalArgumentException when a host of that name is in the VM, or for a bad fact
     */
    public void declareHost(String name, String arch, int speed, int cores) {
        checkHostFacts(name, arch, speed, cores);
        lock.lock();
        try {
            checkUp();
            if (live(name).isPresent()) {
                throw new IllegalArgumentException("host " + name + " is already in the virtual machine");
            }
            machines.put(name, new SimHost(0, name, arch, speed, cores));
            journal("machine " + name + " declared (" + arch + ", speed " + speed + ", " + cores + " cores)");
        } finally {
            lock.unlock();
        }
    }

    private static void checkHostFacts(String name, String arch, int speed, int cores) {
        if (name == null || name.isBlank() || arch == null || arch.isBlank()) {
            throw new IllegalArgumentException("a host needs a name and an architecture");
        }
        if (speed <= 0 || cores <= 0) {
            throw new IllegalArgumentException("speed and cores must be positive, got " + speed + " and " + cores);
        }
    }

    /**
     * Fails a host as a crash would: its tasks die (their threads are interrupted; nothing they
     * sent that has not arrived, and nothing they send afterwards, is delivered), then the
     * HostDelete and TaskExit notifies registered for it fire in the order they were registered,
     * as pvmd fires them. Failing the master host loses the whole virtual machine: every task
     * dies, no notify fires, and every call of an enrolled process fails with
     * {@link PvmError#SYS_ERR}.
     *
     * @param name a host in the VM
     * @throws IllegalArgumentException when there is no such host
     */
    public void failHost(String name) {
        lock.lock();
        try {
            checkUp();
            SimHost h = live(name).orElseThrow(() -> new IllegalArgumentException("no host " + name + " in the VM"));
            if (h.index == MASTER) {
                down("the master host " + h + " failed");
            } else {
                removeHost(h, "failed");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Kills a task as a signal would: its threads are interrupted, its TaskExit notifies fire
     * after the messages it already sent.
     *
     * @param task a task of the VM
     * @throws IllegalArgumentException when there is no such task
     */
    public void killTask(TaskId task) {
        lock.lock();
        try {
            checkUp();
            SimTask t = tasks.get(task.tid());
            if (t == null) {
                throw new IllegalArgumentException("no task " + task + " in the simulated VM");
            }
            endTask(t, "was killed (SimulatedCluster.killTask)", false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes a task ignore SIGTERM, as a worker JVM that installed a handler for TERM that does
     * nothing (or whose heap is full): {@code pvm_kill} and {@code pvm_sendsig(SIGTERM)} leave it
     * running; SIGKILL still ends it.
     *
     * @param task a task of the VM
     * @param ignores true to ignore SIGTERM, false to honour it again
     * @throws IllegalArgumentException when there is no such task
     */
    public void setIgnoresSigterm(TaskId task, boolean ignores) {
        lock.lock();
        try {
            checkUp();
            SimTask t = tasks.get(task.tid());
            if (t == null) {
                throw new IllegalArgumentException("no task " + task + " in the simulated VM");
            }
            t.ignoresSigterm = ignores;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes a host unresponsive, as a hung pvmd: spawns there fail with {@link PvmError#HOST_FAIL}
     * (what pvmd reports for slots of a host that fails during a spawn), so the reporter task
     * never answers; messages from and to its tasks are held until it answers again. Its running
     * tasks keep running.
     *
     * @param name a host in the VM
     * @param unresponsive true to make it hang, false to let it answer again (held messages are delivered)
     * @throws IllegalArgumentException when there is no such host
     */
    public void setUnresponsive(String name, boolean unresponsive) {
        lock.lock();
        try {
            checkUp();
            SimHost h = live(name).orElseThrow(() -> new IllegalArgumentException("no host " + name + " in the VM"));
            h.unresponsive = unresponsive;
            journal("host " + h + (unresponsive ? " stops answering" : " answers again"));
            if (!unresponsive) {
                network.flushAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delays every task message by a random time in {@code [min, max)}, drawn from the sending
     * task's own stream of the seeded generator; messages between two tasks keep their order, and
     * a task's TaskExit notify never overtakes its messages (as in PVM). Notifies from the pvmd
     * are not delayed. {@code Duration.ZERO} twice switches delays off.
     *
     * @param min the shortest delay, not negative
     * @param max the longest delay (exclusive), at least {@code min}
     * @throws IllegalArgumentException when {@code min} is negative or above {@code max}
     */
    public void delayMessages(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
        }
        lock.lock();
        try {
            network.setDelays(min, max);
            journal("message delays " + min.toMillis() + ".." + max.toMillis() + " ms");
        } finally {
            lock.unlock();
        }
    }

    /**
     * The host of that name in the virtual machine.
     *
     * @param name the host name
     * @return its ID, or empty when it is not in the VM
     */
    public Optional<HostId> host(String name) {
        return locked(() -> live(name).map(SimHost::id));
    }

    /** {@return the hosts in the virtual machine, by dtid} */
    public List<HostInfo> hosts() {
        return locked(() -> hosts.values().stream().map(SimHost::info).toList());
    }

    /** {@return the running tasks (spawned and enrolled), by tid} */
    public List<TaskInfo> tasks() {
        return locked(() -> tasks.values().stream().map(this::info).toList());
    }

    /**
     * {@return what the simulator did, oldest first (hosts, tasks, faults, delays; the last {@value #JOURNAL_LIMIT})}
     */
    public List<String> journal() {
        return locked(() -> List.copyOf(journal));
    }

    /** {@return a process that enrolls on the master host on its first call, owned by the calling thread} */
    public SimulatedPvm attach() {
        return attach(JnaPvmOptions.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * {@link #attach()} with a maximum message size, as {@code JnaPvmOptions.maxMessageBytes}.
     *
     * @param maxMessageBytes the largest encoded message, either way
     * @return the process, not enrolled yet
     */
    public SimulatedPvm attach(int maxMessageBytes) {
        return new SimulatedPvm(this, maxMessageBytes);
    }

    /** Ends the virtual machine: every task dies, every enrolled process loses its pvmd. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (downReason == null) {
                down("the simulated cluster was closed");
            }
        } finally {
            lock.unlock();
        }
        clock.shutdown();
    }

    // ---------------------------------------------------------------- the pvmd, for SimulatedPvm

    SimTask enroll(String op) {
        lock.lock();
        try {
            checkUp(op);
            SimHost master = hosts.get(MASTER);
            if (master == null) {
                throw new PvmException(op, PvmError.SYS_ERR.code(), "the simulated VM has no host: add one first");
            }
            SimTask t = new SimTask(master.newTid(), 0, master, "", SimTask.FLAGS_ENROLLED, newMailbox());
            tasks.put(t.tid, t);
            journal(t + " enrolled on " + master);
            return t;
        } finally {
            lock.unlock();
        }
    }

    VmConfig config(SimTask caller, String op) {
        lock.lock();
        try {
            checkAlive(caller, op);
            List<HostInfo> list = hosts.values().stream().map(SimHost::info).toList();
            int archs = (int) list.stream().mapToInt(HostInfo::dataSignature).distinct().count();
            return new VmConfig(list, archs);
        } finally {
            lock.unlock();
        }
    }

    List<TaskInfo> tasks(SimTask caller, String op, int where) {
        lock.lock();
        try {
            checkAlive(caller, op);
            if (where == 0) {
                return tasks.values().stream().map(this::info).toList();
            }
            SimHost h = hostOf(where);
            if (h == null) {
                throw new PvmException(op, PvmError.NO_HOST.code());
            }
            if ((where & SimHost.TIDLOCAL) == 0) {
                return tasks.values().stream().filter(t -> t.host == h).map(this::info).toList();
            }
            SimTask t = tasks.get(where);
            return t == null ? List.of() : List.of(info(t));
        } finally {
            lock.unlock();
        }
    }

    List<SpawnResult> spawn(SimTask parent, String op, String program, List<String> argv, int flags, String where,
            int count) {
        lock.lock();
        try {
            checkAlive(parent, op);
            if ((flags & ~SUPPORTED_SPAWN_FLAGS) != 0) {
                throw new PvmException(op, PvmError.NOT_IMPL.code(), "the simulator supports the spawn flags"
                        + " PvmTaskHost, PvmTaskArch and PvmHostCompl, not 0x" + Integer.toHexString(flags));
            }
            NavigableMap<Integer, SimHost> candidates = candidates(flags, where);
            int[] slots = new int[count];
            if (candidates.isEmpty()) {
                Arrays.fill(slots, PvmError.NO_HOST.code());
                return results(slots);
            }
            Path file = Path.of(program);
            boolean runnable = Files.isRegularFile(file) && Files.isExecutable(file);
            Optional<Map<String, String>> props = WorkerCommand.workerProperties(argv);
            if (runnable && props.isEmpty()) {
                throw new PvmException(op, PvmError.NOT_IMPL.code(), "the simulator runs only pvm-akka worker"
                        + " command lines (WorkerCommand.argv), not " + program + " " + argv);
            }
            List<SimHost> placed = placement.assign(candidates, count, MASTER);
            for (int i = 0; i < count; i++) {
                if (placed.get(i).unresponsive) {
                    slots[i] = PvmError.HOST_FAIL.code();
                } else if (!runnable) {
                    slots[i] = PvmError.NO_FILE.code();
                }
            }
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (slots[i] != 0) {
                    continue;
                }
                SimHost h = placed.get(i);
                SimTask t = new SimTask(h.newTid(), parent.tid, h, program, SimTask.FLAGS_SPAWNED, newMailbox());
                Thread th = SimulatedWorker.thread(this, t, props.get(), loader);
                t.threads.add(th);
                tasks.put(t.tid, t);
                slots[i] = t.tid;
                threads.add(th);
                journal(t + " spawned on " + h + " by " + parent);
            }
            threads.forEach(Thread::start);
            return results(slots);
        } finally {
            lock.unlock();
        }
    }

    private static List<SpawnResult> results(int[] slots) {
        List<SpawnResult> out = new ArrayList<>(slots.length);
        for (int s : slots) {
            out.add(new SpawnResult(s));
        }
        return out;
    }

    /** The hosts a spawn may use, as {@code tm_spawn} builds its host set. */
    private NavigableMap<Integer, SimHost> candidates(int flags, String where) {
        TreeMap<Integer, SimHost> set = new TreeMap<>();
        if ((flags & 1) != 0) {
            live(where).ifPresent(h -> set.put(h.index, h));
        } else if ((flags & 2) != 0) {
            hosts.values().stream().filter(h -> h.arch.equals(where)).forEach(h -> set.put(h.index, h));
        } else {
            set.putAll(hosts);
        }
        if ((flags & 0x20) != 0) {
            TreeMap<Integer, SimHost> complement = new TreeMap<>(hosts);
            complement.keySet().removeAll(set.keySet());
            return complement;
        }
        return set;
    }

    /** A task message; sending to a task that does not exist is accepted and the message dropped. */
    void send(SimTask from, String op, int[] to, int tag, byte[] data) {
        lock.lock();
        try {
            checkAlive(from, op);
            for (int tid : to) {
                network.send(from.tid, tid, new Inbound.Message(from.tid, tag, data.clone()), true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Receives with PyOPUS's timeout semantics; {@code sized} applies the handle's maximum. */
    Optional<Inbound> receive(SimTask t, String op, int source, int tag, double timeoutSeconds) {
        boolean interrupted = false;
        lock.lock();
        try {
            long deadline = System.nanoTime() + (long) (Math.max(timeoutSeconds, 0) * 1e9);
            while (true) {
                checkAlive(t, op);
                Inbound in = t.mailbox.take(source, tag);
                if (in != null) {
                    return Optional.of(in);
                }
                if (timeoutSeconds == 0) {
                    return Optional.empty();
                }
                try {
                    if (timeoutSeconds < 0) {
                        t.mailbox.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return Optional.empty();
                        }
                        t.mailbox.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // like libpvm: a receive is not interruptible; a kill wakes it
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean probe(SimTask t, String op, int source, int tag) {
        lock.lock();
        try {
            checkAlive(t, op);
            return t.mailbox.probe(source, tag);
        } finally {
            lock.unlock();
        }
    }

    /** {@code tm_notify}: watches, or answers at once for a task or host that does not exist. */
    void notify(SimTask t, String op, NotifyKind kind, int tag, int[] ids) {
        lock.lock();
        try {
            checkAlive(t, op);
            switch (kind) {
                case TASK_EXIT -> {
                    for (int id : ids) {
                        if (id == t.tid) {
                            continue; // libpvm keeps a task's notify about itself locally: never delivered
                        }
                        SimTask w = tasks.get(id);
                        if (w != null && w.alive) {
                            notifies.watchTaskExit(t.tid, tag, id);
                        } else {
                            notifyNow(t.tid, kind, tag, List.of(id));
                        }
                    }
                }
                case HOST_DELETE -> {
                    for (int id : ids) {
                        SimHost h = hostOf(id);
                        if (h != null) {
                            notifies.watchHostDelete(t.tid, tag, h.dtid, id);
                        } else {
                            notifyNow(t.tid, kind, tag, List.of(id));
                        }
                    }
                }
                case HOST_ADD -> notifies.watchHostAdd(t.tid, tag);
                default -> throw new PvmException(op, PvmError.BAD_PARAM.code());
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code pvm_kill}: SIGTERM, see {@link #signal}. */
    void kill(SimTask caller, String op, int tid) {
        signal(caller, op, tid, Pvm.SIGTERM);
    }

    /**
     * {@code pvm_sendsig}: an existing task dies (unless the signal is SIGTERM and it
     * {@linkplain #setIgnoresSigterm ignores} that); else {@link PvmError#NO_TASK}.
     */
    void signal(SimTask caller, String op, int tid, int signal) {
        lock.lock();
        try {
            checkAlive(caller, op);
            SimTask v = tasks.get(tid);
            if (v == null) {
                throw new PvmException(op, PvmError.NO_TASK.code());
            }
            if (signal == Pvm.SIGTERM && v.ignoresSigterm) {
                journal(v + " ignored SIGTERM from " + caller);
                return;
            }
            endTask(v, (signal == Pvm.SIGTERM ? "was killed by " : "got signal " + signal + " from ") + caller, false);
        } finally {
            lock.unlock();
        }
    }

    PvmError taskStatus(SimTask caller, String op, int tid) {
        lock.lock();
        try {
            checkAlive(caller, op);
            return tasks.containsKey(tid) ? PvmError.OK : PvmError.NO_TASK;
        } finally {
            lock.unlock();
        }
    }

    List<HostResult> addHosts(SimTask caller, String op, List<String> names) {
        lock.lock();
        try {
            checkAlive(caller, op);
            List<HostResult> out = new ArrayList<>();
            List<Integer> added = new ArrayList<>();
            for (String n : names) {
                SimHost before = machines.get(n);
                if (live(n).isPresent()) {
                    out.add(new HostResult(n, PvmError.DUP_HOST.code()));
                } else if (before == null) {
                    out.add(new HostResult(n, PvmError.NO_HOST.code())); // no machine of that name
                } else {
                    SimHost h = join(before.name, before.arch, before.speed, before.cores);
                    added.add(h.dtid);
                    out.add(new HostResult(n, h.dtid));
                }
            }
            if (!added.isEmpty()) {
                announce(added);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    List<HostResult> deleteHosts(SimTask caller, String op, List<String> names) {
        lock.lock();
        try {
            checkAlive(caller, op);
            List<HostResult> out = new ArrayList<>();
            for (String n : names) {
                Optional<SimHost> h = live(n);
                if (h.isEmpty()) {
                    out.add(new HostResult(n, PvmError.NO_HOST.code()));
                } else if (h.get().index == MASTER) {
                    out.add(new HostResult(n, PvmError.BAD_PARAM.code())); // pvmd cannot delete the master
                } else {
                    removeHost(h.get(), "deleted by " + caller);
                    out.add(new HostResult(n, 0));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    void halt(SimTask caller, String op) {
        lock.lock();
        try {
            checkAlive(caller, op);
            down("halted by " + caller);
        } finally {
            lock.unlock();
        }
    }

    /** {@code pvm_exit}: the task leaves PVM; its TaskExit notifies fire after its messages. */
    void exit(SimTask t) {
        lock.lock();
        try {
            endTask(t, "exited", false);
        } finally {
            lock.unlock();
        }
    }

    /** A worker's thread ended (or halted): the process is gone, as pvmd sees a child exit. */
    void processEnded(SimTask t) {
        exit(t);
    }

    /** A thread the task's function runs on: interrupted when the task dies. */
    void adopt(SimTask t, Thread thread) {
        lock.lock();
        try {
            t.threads.add(thread);
        } finally {
            lock.unlock();
        }
    }

    /** Calls back once when a message is waiting for {@code t}, or at once when it cannot wait. */
    void arm(SimTask t, Runnable callback) {
        lock.lock();
        try {
            if (downReason != null || t == null || !t.alive) {
                callbacks.execute(callback); // the owner's next receive reports why
            } else {
                t.mailbox.arm(callback);
            }
        } finally {
            lock.unlock();
        }
    }

    void disarm(SimTask t, Runnable callback) {
        lock.lock();
        try {
            if (t != null) {
                t.mailbox.disarm(callback);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Throws {@link PvmError#SYS_ERR} when the VM is gone or the task has ended. */
    void checkAlive(SimTask t, String op) {
        lock.lock(); // reentrant: also called with the lock held
        try {
            checkUp(op);
            if (!t.alive) {
                throw new PvmException(op, PvmError.SYS_ERR.code(), "task " + t + " " + t.endReason);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- state changes (lock held)

    private void checkUp() {
        if (downReason != null) {
            throw new IllegalStateException("the simulated virtual machine is gone: " + downReason);
        }
    }

    private void checkUp(String op) {
        if (downReason != null) {
            throw new PvmException(op, PvmError.SYS_ERR.code(), "no pvmd: " + downReason);
        }
    }

    private Mailbox newMailbox() {
        return new Mailbox(lock, callbacks);
    }

    private SimHost join(String name, String arch, int speed, int cores) {
        if (nextIndex > SimHost.MAX_INDEX) {
            throw new IllegalStateException("no host index left in the tid format");
        }
        SimHost h = new SimHost(nextIndex++, name, arch, speed, cores);
        hosts.put(h.index, h);
        machines.put(name, h);
        journal("host " + h + " joined (" + arch + ", speed " + speed + ", " + cores + " cores)");
        return h;
    }

    /** HostAdd notifies: a count and the new dtids, to every watcher. */
    private void announce(List<Integer> dtids) {
        for (NotifyTable.Registration r : notifies.hostAddWatchers()) {
            notifyNow(r.watcher(), NotifyKind.HOST_ADD, r.tag(), dtids);
        }
    }

    private void removeHost(SimHost h, String reason) {
        h.alive = false;
        hosts.remove(h.index);
        List<SimTask> victims = tasks.values().stream().filter(t -> t.host == h).toList();
        Set<Integer> tids = new HashSet<>();
        victims.forEach(t -> tids.add(t.tid));
        network.discardFrom(tids);
        List<NotifyTable.Registration> fired = notifies.hostDeleted(h.dtid, tids);
        for (SimTask t : victims) {
            endTask(t, "ended with its host " + h + " (" + reason + ")", true);
        }
        journal("host " + h + " " + reason + " with " + victims.size() + " task(s)");
        for (NotifyTable.Registration r : fired) {
            notifyNow(r.watcher(), r.kind(), r.tag(), List.of(r.body()));
        }
    }

    /**
     * Ends a task: nothing reaches it any more, its threads are interrupted (never those of an
     * enrolled process), the notifies it registered are dropped and those about it fire (unless
     * its host failed: then the host's notifies fire together).
     */
    private void endTask(SimTask t, String reason, boolean withHost) {
        if (!t.alive) {
            return;
        }
        t.alive = false;
        t.endReason = reason;
        tasks.remove(t.tid);
        journal(t + " " + reason);
        network.discardTo(t.tid);
        t.mailbox.clear();
        t.mailbox.wake();
        for (Thread th : t.threads) {
            if (th != Thread.currentThread()) {
                th.interrupt();
            }
        }
        notifies.forgetWatcher(t.tid);
        if (!withHost) {
            for (NotifyTable.Registration r : notifies.taskEnded(t.tid)) {
                // through the task's channel: after every message it sent to that watcher
                network.send(t.tid, r.watcher(), notification(r.kind(), r.tag(), List.of(r.body())), false);
            }
        }
    }

    /** The whole VM is gone: every task dies, no notify fires, every call fails. */
    private void down(String reason) {
        downReason = reason;
        journal("the virtual machine is gone: " + reason);
        for (SimTask t : new ArrayList<>(tasks.values())) {
            t.alive = false;
            t.endReason = "lost its pvmd: " + reason;
            t.mailbox.clear();
            t.mailbox.wake();
            t.threads.forEach(Thread::interrupt);
        }
        tasks.clear();
        hosts.values().forEach(h -> h.alive = false);
        hosts.clear();
        network.clear();
        notifies.clear();
    }

    private void notifyNow(int watcher, NotifyKind kind, int tag, List<Integer> ids) {
        network.send(TaskId.TIDPVMD, watcher, notification(kind, tag, ids), false);
    }

    private static Inbound.Notification notification(NotifyKind kind, int tag, List<Integer> ids) {
        return new Inbound.Notification(TaskId.TIDPVMD, tag, kind, ids);
    }

    private Optional<SimHost> live(String name) {
        return hosts.values().stream().filter(h -> h.name.equals(name)).findFirst();
    }

    /** The live host of a tid's or dtid's host part, or null. */
    private SimHost hostOf(int tid) {
        int part = tid & TaskId.TIDHOST;
        return part == 0 ? null : hosts.get(part / SimHost.HOST_UNIT);
    }

    private boolean unresponsive(int tid) {
        if ((tid & TaskId.TIDPVMD) != 0) {
            return false; // the pvmd's own notifies are held only by the receiver's host
        }
        SimHost h = hostOf(tid);
        return h != null && h.unresponsive;
    }

    private TaskInfo info(SimTask t) {
        return new TaskInfo(t.tid, t.parentTid, t.host.dtid, t.flags, t.name, (int) pid);
    }

    private void journal(String entry) {
        if (journal.size() == JOURNAL_LIMIT) {
            journal.removeFirst();
        }
        journal.add(entry);
    }

    /** Reads state under the cluster's lock. */
    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
