package org.pvmakka.javadsl;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.task.TaskId;

/**
 * The runtime's public protocol: send these to {@code PvmAkka.get(system).runtime()} (or a
 * {@code SimulatedVm}'s runtime). Every request answers with a {@link StatusReply}; an error says why.
 */
public sealed interface PvmCommand {

    /**
     * Spawn a task function. The reply lists the started tasks (and per-slot failures); each
     * started task then sends {@code owner} its {@link MsgTaskStarted} first (if asked for), its messages, its
     * {@code MsgTaskResult} (if {@code sendBack}) and exactly one {@code MsgTaskExit}, each carrying the
     * spec's correlation key. A refused spawn, or failed slots, also reach {@code owner} as {@link MsgSpawnFailed}.
     *
     * @param spec what to spawn
     * @param owner gets every event of the spawned tasks
     * @param replyTo gets the started tasks and failed slots, or why the spawn was refused
     */
    record SpawnFunction(SpawnSpec spec, ActorRef<TaskEvent> owner, ActorRef<StatusReply<Spawned>> replyTo)
            implements PvmCommand {
    }

    /**
     * Send a registered object to a task; errors (unregistered class, no such task) come back. The ack means
     * <em>handed to PVM</em> ({@code pvm_send} accepted it), not delivered: a task that dies right after loses it, and
     * nothing tells the sender. Where the sender must know, use {@link SendAndConfirm}.
     *
     * @param to the destination task
     * @param message an instance of a registered wire type
     * @param replyTo acked once PVM accepted it; an error names the problem
     */
    record SendMessage(TaskId to, Object message, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /**
     * Send a registered object to a task this runtime spawned, delivered or failed: the ack comes only once the task's
     * worker has the message in its inbox (the worker confirms receipt); if the task ends (or the VM is lost) first,
     * the reply is an error. An error means the task may not have received it (a receipt can be lost with its task);
     * an ack does not mean the task function has read it yet. It keeps its order with the {@link SendMessage}s before
     * it. Costs a message back per send; tasks of other programs cannot confirm (refused with an error).
     *
     * @param to a task this runtime spawned
     * @param message an instance of a registered wire type
     * @param replyTo acked once the task's worker has it; an error when it may not have
     */
    record SendAndConfirm(TaskId to, Object message, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /**
     * The owner of {@code task}, spawned with {@link SpawnSpec#withOwnerFlowControl(boolean)}, has handled
     * {@code count} more of its messages: the task may send that many more. Until its owner confirms, a task has at
     * most {@code pvm-akka.flow-control.window-messages} (and {@code window-bytes}) messages on their way and in the
     * owner's mailbox, and its sends wait. {@code replyTo} may be null; the reply is an error for a task that is not
     * flow-controlled by its owner, or when more are confirmed than were delivered.
     *
     * @param task the flow-controlled task
     * @param count how many more of its messages the owner has handled
     * @param replyTo acked, or told why not; may be null
     */
    record MessagesHandled(TaskId task, int count, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
        /**
         * Without a reply.
         *
         * @param task the flow-controlled task
         * @param count how many more of its messages the owner has handled
         */
        public MessagesHandled(TaskId task, int count) {
            this(task, count, null);
        }
    }

    /**
     * Also deliver every user message from any task to {@code subscriber}.
     *
     * @param subscriber gets every user message
     */
    record SubscribeMessages(ActorRef<TaskMessage> subscriber) implements PvmCommand {
    }

    /**
     * Publish {@link HostEvent}s to {@code subscriber}.
     *
     * @param subscriber gets the host events
     */
    record SubscribeHostEvents(ActorRef<HostEvent> subscriber) implements PvmCommand {
    }

    /**
     * Stop publishing host events to {@code subscriber}.
     *
     * @param subscriber a subscriber of {@link SubscribeHostEvents}
     */
    record UnsubscribeHostEvents(ActorRef<HostEvent> subscriber) implements PvmCommand {
    }

    /**
     * Copy the start ({@link MsgTaskStarted}) and the exit ({@link MsgTaskExit}) of every task this runtime spawns to
     * {@code subscriber}, whoever owns it, until the subscriber stops. At most 64 subscribers; more are ignored (logged).
     *
     * @param subscriber gets the starts and exits
     */
    record SubscribeTaskEvents(ActorRef<TaskEvent> subscriber) implements PvmCommand {
    }

    /**
     * A snapshot of hosts, tasks and slots.
     *
     * @param replyTo gets the snapshot
     */
    record GetStatus(ActorRef<StatusReply<VmStatus>> replyTo) implements PvmCommand {
    }

    /**
     * Kill one task this runtime spawned.
     *
     * @param task the task
     * @param replyTo acked once the kill was issued; an error for a task that is not a running task of this runtime
     */
    record KillTask(TaskId task, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /**
     * Kill every task this runtime spawned (never itself, never other programs' tasks).
     *
     * @param replyTo gets how many tasks were killed
     */
    record KillAll(ActorRef<StatusReply<Integer>> replyTo) implements PvmCommand {
    }

    /**
     * Whether the VM answers ({@code pvm_mytid}): an ack, or an error saying why not (no pvmd, libpvm missing, root
     * not allowed, ...).
     *
     * @param replyTo acked, or told why not
     */
    record Alive(ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /**
     * Acks once the VM is up and every host has been probed; after {@code timeout} an error says why not (no pvmd,
     * libpvm missing, root not allowed, hosts still being probed).
     *
     * @param timeout how long to wait
     * @param replyTo acked once the VM is up, or told why not
     */
    record WaitForVm(Duration timeout, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /**
     * Add hosts to the VM ({@code pvm_addhosts}): one result per host (its new dtid, or the error).
     *
     * @param hosts host names, with hostfile options
     * @param replyTo gets one result per host
     */
    record AddHosts(List<String> hosts, ActorRef<StatusReply<List<HostChange>>> replyTo) implements PvmCommand {
        /**
         * Copies {@code hosts}.
         *
         * @param hosts host names, with hostfile options
         * @param replyTo gets one result per host
         */
        public AddHosts {
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * Delete hosts from the VM ({@code pvm_delhosts}): one result per host.
     *
     * @param hosts host names
     * @param replyTo gets one result per host
     */
    record DeleteHosts(List<String> hosts, ActorRef<StatusReply<List<HostChange>>> replyTo) implements PvmCommand {
        /**
         * Copies {@code hosts}.
         *
         * @param hosts host names
         * @param replyTo gets one result per host
         */
        public DeleteHosts {
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * Stop the whole virtual machine ({@code pvm_halt}): every pvmd and task. The pvmd also sends
     * SIGTERM to this process, as to every task: a JVM that must outlive the VM ignores SIGTERM
     * around the call (the {@code pvm-akka halt} command does).
     *
     * @param replyTo acked once {@code pvm_halt} returned, or told why it could not be called
     */
    record Halt(ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /**
     * What the runtime routed and dropped of the traffic it received.
     *
     * @param replyTo gets the counters
     */
    record GetCounters(ActorRef<StatusReply<RuntimeCounters>> replyTo) implements PvmCommand {
    }
}
