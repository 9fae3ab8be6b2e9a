package org.pvmakka.internal.bridge;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskId;

/**
 * What the runtime needs of libpvm, in Java types. Failures throw {@link PvmException} carrying the
 * {@link PvmError} and the operation. Implementations are not thread-safe: one thread owns an
 * instance and makes every call (both implementations, {@code JnaPvm} and {@code SimulatedPvm},
 * refuse calls from other threads). The contract tests run the same checks against both.
 */
public interface Pvm extends AutoCloseable {

    /** A source or tag filter that matches anything. */
    int ANY = -1;

    /** The signal that ends a process at once ({@link #sendSignal}). */
    int SIGKILL = 9;

    /** The signal {@link #kill} sends. */
    int SIGTERM = 15;

    /** This process's tid; enrolls it in PVM on the first call ({@code pvm_mytid}). */
    int mytid();

    /** The parent's tid, empty when this task was not spawned by PVM ({@code pvm_parent}). */
    OptionalInt parent();

    /** The dtid of the host a task runs on ({@code pvm_tidtohost}). */
    int tidToHost(int tid);

    /** The host table ({@code pvm_config}), copied out at once. */
    VmConfig config();

    /**
     * The tasks ({@code pvm_tasks}), copied out at once.
     *
     * @param where 0 for every task of the VM, a dtid for one host's tasks, a tid for one task
     */
    List<TaskInfo> tasks(int where);

    /**
     * Starts {@code count} copies of a program ({@code pvm_spawn}).
     *
     * @param program absolute path of the executable (PVM does not search {@code PATH})
     * @param argv its arguments (without the program name)
     * @param flags {@code PvmTaskDefault} 0, {@code PvmTaskHost} 1 (then {@code where} is a host
     *     name), {@code PvmTaskArch} 2 (then {@code where} is an architecture)
     * @param where host or architecture name, or null
     * @param count how many
     * @return one result per requested slot: a tid or the error for that slot
     */
    List<SpawnResult> spawn(String program, List<String> argv, int flags, String where, int count);

    /**
     * Sends {@code data} as one byte block with {@code tag} to a task ({@code pvm_send}). An
     * invalid tid fails with {@link PvmError#BAD_PARAM}; a valid tid of a task that does not exist
     * is accepted and the message dropped by the pvmd (see {@link #taskStatus}).
     */
    void send(int tid, int tag, byte[] data);

    /** Sends the same bytes to several tasks at once ({@code pvm_mcast}). */
    void mcast(int[] tids, int tag, byte[] data);

    /**
     * Receives one message with PyOPUS's timeout semantics.
     *
     * @param source a tid, or {@link #ANY}
     * @param tag a tag, or {@link #ANY}
     * @param timeoutSeconds negative blocks until a message arrives, 0 polls, above 0 waits at
     *     most that long
     * @return the message (a notify comes decoded), or empty when none arrived in time
     */
    Optional<Inbound> receive(int source, int tag, double timeoutSeconds);

    /** True when a matching message has arrived and waits to be received ({@code pvm_probe}). */
    boolean probe(int source, int tag);

    /**
     * Asks the pvmd for notify messages ({@code pvm_notify}); they arrive with {@code tag} from
     * {@link TaskId#TIDPVMD} and {@link #receive} yields them as {@link Inbound.Notification}.
     *
     * @param ids the tids (TASK_EXIT) or dtids (HOST_DELETE) to watch; ignored for HOST_ADD,
     *     which is registered for every future addition
     */
    void notify(NotifyKind kind, int tag, int[] ids);

    /**
     * Kills a task ({@code pvm_kill}).
     *
     * @throws PvmException with {@link PvmError#NO_TASK} when no such task exists (libpvm itself
     *     would report success)
     */
    void kill(int tid);

    /**
     * Sends a signal to a task ({@code pvm_sendsig}); {@link #SIGKILL} ends one that ignores
     * {@link #kill}.
     *
     * @throws PvmException with {@link PvmError#NO_TASK} when no such task exists, with
     *     {@link PvmError#BAD_PARAM} for an id that is no task's or a signal number outside 1-64
     */
    void sendSignal(int tid, int signal);

    /**
     * Whether a task exists ({@code pvm_pstat}): {@link PvmError#OK} or {@link PvmError#NO_TASK}.
     * Note that {@link #send} to a task that does not exist succeeds, as in PVM: the pvmd drops the
     * message; callers that must know check here first or track TaskExit notifies.
     */
    PvmError taskStatus(int tid);

    /** Leaves PVM ({@code pvm_exit}); the process keeps running. Idempotent. */
    void exit();

    /**
     * Forwards the stdout/stderr of tasks this process spawns afterwards to this process's stdout
     * ({@code pvm_catchout(stdout)}), or stops doing so.
     */
    void catchOutput(boolean on);

    /** Sets an option ({@code pvm_setopt}) and returns its previous value. */
    int setOption(PvmOption option, int value);

    /**
     * Watches for inbound messages without a blocking receive: the owner drains, then
     * {@linkplain InboundWatcher#arm() arms} the watcher, which calls {@code onReadable} once, from
     * any thread, when a message may be waiting. The JNA binding waits in {@code poll()} on libpvm's
     * sockets on a helper thread; the simulator calls back when a message is queued.
     *
     * @param onReadable must not block; typically tells the owner thread to drain
     */
    InboundWatcher watchInbound(Runnable onReadable);

    /** Adds hosts ({@code pvm_addhosts}); one result per host, with the new dtid or the error. */
    List<HostResult> addHosts(List<String> hosts);

    /** Deletes hosts ({@code pvm_delhosts}); one result per host. */
    List<HostResult> deleteHosts(List<String> hosts);

    /** Stops the whole virtual machine ({@code pvm_halt}). */
    void halt();

    /** Leaves PVM; same as {@link #exit()}. */
    @Override
    default void close() {
        exit();
    }
}
