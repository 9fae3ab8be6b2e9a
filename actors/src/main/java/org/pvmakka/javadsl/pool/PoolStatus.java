package org.pvmakka.javadsl.pool;

import java.util.List;
import org.pvmakka.task.TaskId;

/**
 * A snapshot of a pool.
 *
 * @param workers the pool's worker tasks that are serving
 * @param starting workers spawned that have not said hello yet
 * @param queued jobs waiting for a worker
 * @param inFlight jobs handed to workers
 * @param completed jobs that have had their outcome
 */
public record PoolStatus(List<TaskId> workers, int starting, int queued, int inFlight, long completed) {
    /**
     * Copies {@code workers}.
     *
     * @param workers the pool's worker tasks that are serving
     * @param starting workers spawned that have not said hello yet
     * @param queued jobs waiting for a worker
     * @param inFlight jobs handed to workers
     * @param completed jobs that have had their outcome
     */
    public PoolStatus {
        workers = List.copyOf(workers);
    }
}
