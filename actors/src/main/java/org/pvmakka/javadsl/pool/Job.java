package org.pvmakka.javadsl.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pvmakka.task.TaskFunction;

/**
 * One job for a {@link JobPool}: a {@link TaskFunction} (the same interface a task implements) and its
 * arguments, with what identifies it and how hard to try.
 *
 * @param functionClass class name of a {@link TaskFunction} on the worker classpath
 * @param args arguments (registered wire types); copied
 * @param index the caller's index, given back in the outcome
 * @param key the caller's key, given back in the outcome (may be null)
 * @param maxAttempts how many times the job may run: above 1 only for an idempotent job, which is then
 *     run again on another worker when its worker dies or its host is lost
 * @param timeout how long one run may take before its worker is killed (null: no limit)
 */
public record Job(String functionClass, List<Object> args, long index, String key, int maxAttempts, Duration timeout) {
    /**
     * Checks and copies the job.
     *
     * @param functionClass class name of a {@link TaskFunction} on the worker classpath
     * @param args arguments (registered wire types); copied
     * @param index the caller's index, given back in the outcome
     * @param key the caller's key, given back in the outcome (may be null)
     * @param maxAttempts how many times the job may run: above 1 only for an idempotent job, which is then
     * @param timeout how long one run may take before its worker is killed (null: no limit)
     * @throws IllegalArgumentException without a function class, for fewer than 1 attempt or a time-out that is not
     *     positive
     */
    public Job {
        if (functionClass == null || functionClass.isBlank()) {
            throw new IllegalArgumentException("a job needs a task function class");
        }
        args = args == null ? new ArrayList<>() : new ArrayList<>(args);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a job time-out must be positive, got " + timeout);
        }
    }

    /**
     * A job of {@code function} with these arguments, index 0, no key, one attempt, no time-out.
     *
     * @param function the task function
     * @param args its arguments (registered wire types)
     * @return the job
     * @throws IllegalArgumentException when {@code function} is null
     */
    public static Job of(Class<? extends TaskFunction> function, Object... args) {
        if (function == null) {
            throw new IllegalArgumentException("a job needs a task function class");
        }
        return new Job(function.getName(), Arrays.asList(args), 0, null, 1, null);
    }

    /**
     * The caller's index, given back in the outcome.
     *
     * @param i the index
     * @return a copy with that index
     */
    public Job withIndex(long i) {
        return new Job(functionClass, args, i, key, maxAttempts, timeout);
    }

    /**
     * The caller's key, given back in the outcome.
     *
     * @param k the key, or null
     * @return a copy with that key
     */
    public Job withKey(String k) {
        return new Job(functionClass, args, index, k, maxAttempts, timeout);
    }

    /**
     * Allow up to {@code n} runs (for an idempotent job): it runs again on another worker when its worker dies or its
     * host is lost.
     *
     * @param n at least 1
     * @return a copy with that many attempts
     */
    public Job withMaxAttempts(int n) {
        return new Job(functionClass, args, index, key, n, timeout);
    }

    /**
     * How long one run may take before its worker is killed.
     *
     * @param t a positive duration, or null for no limit
     * @return a copy with that time-out
     */
    public Job withTimeout(Duration t) {
        return new Job(functionClass, args, index, key, maxAttempts, t);
    }
}
