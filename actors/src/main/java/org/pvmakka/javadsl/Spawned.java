package org.pvmakka.javadsl;

import java.util.List;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;

/**
 * The reply to a spawn: the tasks that started and, per slot, those that did not.
 *
 * @param tasks started tasks; each will send its owner exactly one {@code MsgTaskExit}
 * @param failures slots that failed, with the host and the reason
 */
public record Spawned(List<TaskId> tasks, List<Failure> failures) {
    /**
     * Copies both lists.
     *
     * @param tasks started tasks; each will send its owner exactly one {@code MsgTaskExit}
     * @param failures slots that failed, with the host and the reason
     */
    public Spawned {
        tasks = List.copyOf(tasks);
        failures = List.copyOf(failures);
    }

    /**
     * One slot that did not start.
     *
     * @param host the host it was meant for
     * @param reason why it did not start (the PVM error or the worker's)
     */
    public record Failure(HostId host, String reason) {
    }
}
