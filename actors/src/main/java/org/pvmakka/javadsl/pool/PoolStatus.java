package org.pvmakka.javadsl.pool;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pvmakka.task.TaskId;

/**
 * A snapshot of a pool.
 *
 * @param workers the pool's worker tasks that are serving
 * @param starting workers spawned that have not said hello yet
 * @param queued jobs waiting for a worker
 * @param inFlight jobs handed to workers
 * @param completed jobs that have had their outcome
 * @param outcomes the completed jobs by {@link JobOutcome#cause()} (causes without a job left out)
 */
public record PoolStatus(List<TaskId> workers, int starting, int queued, int inFlight, long completed,
        Map<JobOutcome.Cause, Long> outcomes) {
    /**
     * Copies {@code workers} and {@code outcomes} (in the causes' order).
     *
     * @param workers the pool's worker tasks that are serving
     * @param starting workers spawned that have not said hello yet
     * @param queued jobs waiting for a worker
     * @param inFlight jobs handed to workers
     * @param completed jobs that have had their outcome
     * @param outcomes the completed jobs by cause
     */
    public PoolStatus {
        workers = List.copyOf(workers);
        EnumMap<JobOutcome.Cause, Long> byCause = new EnumMap<>(JobOutcome.Cause.class);
        byCause.putAll(Objects.requireNonNull(outcomes, "outcomes"));
        outcomes = Collections.unmodifiableMap(byCause);
    }

    /**
     * A status without outcomes by cause.
     *
     * @param workers the pool's worker tasks that are serving
     * @param starting workers spawned that have not said hello yet
     * @param queued jobs waiting for a worker
     * @param inFlight jobs handed to workers
     * @param completed jobs that have had their outcome
     */
    public PoolStatus(List<TaskId> workers, int starting, int queued, int inFlight, long completed) {
        this(workers, starting, queued, inFlight, completed, Map.of());
    }
}
