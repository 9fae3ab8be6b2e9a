package org.pvmakka.internal.wire;

import java.util.ArrayList;
import java.util.List;
import org.pvmakka.task.HostId;
import org.pvmakka.task.RemoteError;

/**
 * The records a job pool and its workers exchange as user messages: jobs go out in batches, outcomes
 * come back in batches, so many small jobs cost few PVM messages.
 */
public final class PoolWire {
    private PoolWire() {
    }

    /** A worker is up and serving on {@code host}: its first message to the pool. */
    public record Hello(HostId host) {
    }

    /**
     * One job for a worker.
     *
     * @param id the pool's ID of this attempt
     * @param functionClass the task function's class name
     * @param args its arguments
     */
    public record Job(long id, String functionClass, List<Object> args) {
        public Job {
            args = args == null ? new ArrayList<>() : args;
        }
    }

    /** Jobs for a worker, run in this order. */
    public record Jobs(List<Job> jobs) {
    }

    /**
     * The outcome of one job.
     *
     * @param id the attempt's ID
     * @param success true when the function returned normally
     * @param value what it returned (null on failure)
     * @param error why it failed (null on success)
     */
    public record Result(long id, boolean success, Object value, RemoteError error) {
    }

    /**
     * Outcomes, in the order the jobs ran.
     *
     * @param runNanos the time the worker spent running these jobs (the pool sizes its pipelining by it)
     */
    public record Results(List<Result> results, long runNanos) {
    }

    /** Finish the jobs already given, then end. */
    public record Stop() {
    }
}
