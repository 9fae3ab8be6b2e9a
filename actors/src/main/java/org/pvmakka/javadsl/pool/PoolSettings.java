package org.pvmakka.javadsl.pool;

import akka.actor.typed.ActorRef;
import org.pvmakka.javadsl.TaskMessage;

/**
 * How a {@link JobPool} is sized.
 *
 * @param workersPerSlot workers per free slot of each responsive host (used when {@code workers} is null)
 * @param workers a fixed number of workers placed by the runtime, or null for {@code workersPerSlot}
 * @param queueBound jobs that may wait for a worker; more are refused ({@link JobOutcome.Cause#QUEUE_FULL})
 * @param pipelining at most this many jobs handed to one worker at a time: the pool hands about 20 ms of
 *     work (measured), so short jobs hide the round trip and long ones go one by one; all of a dying
 *     worker's unreported jobs count as lost
 * @param jobMessages where the user messages jobs send to their parent go (null: dropped)
 */
public record PoolSettings(double workersPerSlot, Integer workers, int queueBound, int pipelining,
        ActorRef<TaskMessage> jobMessages) {
    /**
     * Checks the settings.
     *
     * @param workersPerSlot workers per free slot of each responsive host (used when {@code workers} is null)
     * @param workers a fixed number of workers placed by the runtime, or null for {@code workersPerSlot}
     * @param queueBound jobs that may wait for a worker; more are refused ({@link JobOutcome.Cause#QUEUE_FULL})
     * @param pipelining at most this many jobs handed to one worker at a time: the pool hands about 20 ms of
     * @param jobMessages where the user messages jobs send to their parent go (null: dropped)
     * @throws IllegalArgumentException for a value that is not positive (or a fixed worker count below 1)
     */
    public PoolSettings {
        if (!(workersPerSlot > 0)) {
            throw new IllegalArgumentException("workersPerSlot must be positive, got " + workersPerSlot);
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1 (or null for one per slot), got " + workers);
        }
        if (queueBound < 1) {
            throw new IllegalArgumentException("queueBound must be at least 1, got " + queueBound);
        }
        if (pipelining < 1) {
            throw new IllegalArgumentException("pipelining must be at least 1, got " + pipelining);
        }
    }

    /**
     * {@return one worker per free slot, a queue of 4096 jobs, at most 512 jobs per worker at a time, job messages
     * dropped}
     */
    public static PoolSettings defaults() {
        return new PoolSettings(1.0, null, 4096, 512, null);
    }

    /**
     * Size the pool by free slots (drops a fixed worker count).
     *
     * @param n workers per free slot, positive
     * @return a copy sized so
     */
    public PoolSettings withWorkersPerSlot(double n) {
        return new PoolSettings(n, null, queueBound, pipelining, jobMessages);
    }

    /**
     * A fixed number of workers, placed by the runtime.
     *
     * @param n at least 1
     * @return a copy sized so
     */
    public PoolSettings withWorkers(int n) {
        return new PoolSettings(workersPerSlot, n, queueBound, pipelining, jobMessages);
    }

    /**
     * How many jobs may wait for a worker; more are refused with {@link JobOutcome.Cause#QUEUE_FULL}.
     *
     * @param n at least 1
     * @return a copy with that bound
     */
    public PoolSettings withQueueBound(int n) {
        return new PoolSettings(workersPerSlot, workers, n, pipelining, jobMessages);
    }

    /**
     * At most this many jobs handed to one worker at a time.
     *
     * @param n at least 1
     * @return a copy with that limit
     */
    public PoolSettings withPipelining(int n) {
        return new PoolSettings(workersPerSlot, workers, queueBound, n, jobMessages);
    }

    /**
     * Where the user messages jobs send to their parent go.
     *
     * @param to the recipient, or null to drop them
     * @return a copy with that recipient
     */
    public PoolSettings withJobMessages(ActorRef<TaskMessage> to) {
        return new PoolSettings(workersPerSlot, workers, queueBound, pipelining, to);
    }
}
