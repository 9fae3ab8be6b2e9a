package org.pvmakka.javadsl;

import java.time.Instant;
import org.pvmakka.task.TaskId;

/**
 * A task this runtime spawned and that has not ended yet.
 *
 * @param id the task
 * @param hostDtid its host
 * @param function the task function's class name
 * @param owner the actor path of the spawn's owner (which gets the task's events), or null when not known
 * @param started when the runtime learnt that the task started, or null when not known
 * @param state where the task is in its life
 */
public record TaskStatus(TaskId id, int hostDtid, String function, String owner, Instant started, State state) {

    /** Where a task that has not ended is in its life. */
    public enum State {
        /** Started and not seen to end. */
        RUNNING,
        /** Its process ended; its result may still be on its way ({@code pvm-akka.result-grace}). */
        ENDING,
        /** A kill was requested; its exit has not been seen yet. */
        KILLING
    }

    /**
     * A running task with its owner, without start time.
     *
     * @param id the task
     * @param hostDtid its host
     * @param function the task function's class name
     * @param owner the actor path of the spawn's owner, or null
     */
    public TaskStatus(TaskId id, int hostDtid, String function, String owner) {
        this(id, hostDtid, function, owner, null, State.RUNNING);
    }

    /**
     * A running task without owner or start time.
     *
     * @param id the task
     * @param hostDtid its host
     * @param function the task function's class name
     */
    public TaskStatus(TaskId id, int hostDtid, String function) {
        this(id, hostDtid, function, null, null, State.RUNNING);
    }

    /**
     * A null state means {@link State#RUNNING}.
     *
     * @param id the task
     * @param hostDtid its host
     * @param function the task function's class name
     * @param owner the actor path of the spawn's owner (which gets the task's events), or null when not known
     * @param started when the runtime learnt that the task started, or null when not known
     * @param state where the task is in its life
     */
    public TaskStatus {
        state = state == null ? State.RUNNING : state;
    }
}
