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
     */
    record SpawnFunction(SpawnSpec spec, ActorRef<TaskEvent> owner, ActorRef<StatusReply<Spawned>> replyTo)
            implements PvmCommand {
    }

    /** Send a registered object to a task; errors (unregistered class, no such task) come back. */
    record SendMessage(TaskId to, Object message, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /** Also deliver every user message from any task to {@code subscriber}. */
    record SubscribeMessages(ActorRef<TaskMessage> subscriber) implements PvmCommand {
    }

    /** Publish {@link HostEvent}s to {@code subscriber}. */
    record SubscribeHostEvents(ActorRef<HostEvent> subscriber) implements PvmCommand {
    }

    /** Stop publishing host events to {@code subscriber}. */
    record UnsubscribeHostEvents(ActorRef<HostEvent> subscriber) implements PvmCommand {
    }

    /**
     * Copy the start ({@link MsgTaskStarted}) and the exit ({@link MsgTaskExit}) of every task this runtime spawns to
     * {@code subscriber}, whoever owns it, until the subscriber stops. At most 64 subscribers; more are ignored (logged).
     */
    record SubscribeTaskEvents(ActorRef<TaskEvent> subscriber) implements PvmCommand {
    }

    /** A snapshot of hosts, tasks and slots. */
    record GetStatus(ActorRef<StatusReply<VmStatus>> replyTo) implements PvmCommand {
    }

    /** Kill one task this runtime spawned. */
    record KillTask(TaskId task, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /** Kill every task this runtime spawned (never itself, never other programs' tasks). */
    record KillAll(ActorRef<StatusReply<Integer>> replyTo) implements PvmCommand {
    }

    /**
     * Whether the VM answers ({@code pvm_mytid}): an ack, or an error saying why not (no pvmd, libpvm missing, root
     * not allowed, ...).
     */
    record Alive(ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /**
     * Acks once the VM is up and every host has been probed; after {@code timeout} an error says why not (no pvmd,
     * libpvm missing, root not allowed, hosts still being probed).
     */
    record WaitForVm(Duration timeout, ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /** Add hosts to the VM ({@code pvm_addhosts}): one result per host (its new dtid, or the error). */
    record AddHosts(List<String> hosts, ActorRef<StatusReply<List<HostChange>>> replyTo) implements PvmCommand {
        public AddHosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** Delete hosts from the VM ({@code pvm_delhosts}): one result per host. */
    record DeleteHosts(List<String> hosts, ActorRef<StatusReply<List<HostChange>>> replyTo) implements PvmCommand {
        public DeleteHosts {
            hosts = List.copyOf(hosts);
        }
    }

    /**
     * Stop the whole virtual machine ({@code pvm_halt}): every pvmd and task. The pvmd also sends
     * SIGTERM to this process, as to every task: a JVM that must outlive the VM ignores SIGTERM
     * around the call (the {@code pvm-akka halt} command does).
     */
    record Halt(ActorRef<StatusReply<Done>> replyTo) implements PvmCommand {
    }

    /** What the runtime routed and dropped of the traffic it received. */
    record GetCounters(ActorRef<StatusReply<RuntimeCounters>> replyTo) implements PvmCommand {
    }
}
