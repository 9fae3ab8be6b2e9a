package org.pvmakka.javadsl;

import java.util.List;
import org.pvmakka.task.TaskId;

/**
 * A spawn was refused, or some or all of its slots did not start. Sent to the owner as well as to the
 * spawn's {@code replyTo}, so an owner that does not read replies still learns of it.
 *
 * @param reason why (the whole spawn's error, or a summary of the failed slots)
 * @param failures the slots that did not start, with their hosts (empty when the spawn was refused as a whole)
 * @param started how many tasks did start
 * @param correlation the spawn's correlation key, or null
 */
public record MsgSpawnFailed(String reason, List<Spawned.Failure> failures, int started, Object correlation)
        implements TaskEvent {
    /**
     * Copies {@code failures}.
     *
     * @param reason why (the whole spawn's error, or a summary of the failed slots)
     * @param failures the slots that did not start, with their hosts (empty when the spawn was refused as a whole)
     * @param started how many tasks did start
     * @param correlation the spawn's correlation key, or null
     */
    public MsgSpawnFailed {
        failures = List.copyOf(failures);
    }

    /** {@return {@link TaskId#INVALID}: the event is about the spawn, not one task} */
    @Override
    public TaskId taskId() {
        return TaskId.INVALID;
    }
}
