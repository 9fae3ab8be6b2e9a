package org.pvmakka.javadsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskFunction;

/**
 * What to spawn: a task function, its arguments, how many copies where.
 *
 * @param functionClass class name of a {@link TaskFunction} on the worker classpath
 * @param args arguments (registered wire types); copied
 * @param count how many tasks; null fills every free slot
 * @param targets hosts to use (empty = every responsive host)
 * @param sendBack whether each task sends back a {@code MsgTaskResult}
 * @param overcommit allow more tasks than free slots (spread evenly over the targets)
 * @param correlation a key of the caller's that every event of these tasks carries (never sent to PVM); may be null
 * @param announce whether each task's owner gets a {@link MsgTaskStarted} before any other event of the task
 */
public record SpawnSpec(String functionClass, List<Object> args, Integer count, List<HostId> targets, boolean sendBack,
        boolean overcommit, Object correlation, boolean announce) {
    public SpawnSpec {
        if (functionClass == null || functionClass.isBlank()) {
            throw new IllegalArgumentException("a task function class is required");
        }
        args = args == null ? new ArrayList<>() : new ArrayList<>(args);
        targets = targets == null ? List.of() : List.copyOf(targets);
        if (count != null && count <= 0) {
            throw new IllegalArgumentException("count must be positive (or null to fill every free slot), got " + count);
        }
    }

    /** A spec without a correlation key. */
    public SpawnSpec(String functionClass, List<Object> args, Integer count, List<HostId> targets, boolean sendBack,
            boolean overcommit) {
        this(functionClass, args, count, targets, sendBack, overcommit, null, false);
    }

    /** One task of {@code function} with these arguments, sending back its result. */
    public static SpawnSpec of(Class<? extends TaskFunction> function, Object... args) {
        if (function == null) {
            throw new IllegalArgumentException("a task function class is required");
        }
        return new SpawnSpec(function.getName(), Arrays.asList(args), 1, List.of(), true, false, null, false);
    }

    /** {@code n} tasks. */
    public SpawnSpec withCount(int n) {
        return new SpawnSpec(functionClass, args, n, targets, sendBack, overcommit, correlation, announce);
    }

    /** As many tasks as there are free slots. */
    public SpawnSpec fillFreeSlots() {
        return new SpawnSpec(functionClass, args, null, targets, sendBack, overcommit, correlation, announce);
    }

    public SpawnSpec withTargets(List<HostId> hosts) {
        return new SpawnSpec(functionClass, args, count, hosts, sendBack, overcommit, correlation, announce);
    }

    public SpawnSpec withSendBack(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, b, overcommit, correlation, announce);
    }

    public SpawnSpec withOvercommit(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, b, correlation, announce);
    }

    /** Every event of these tasks carries {@code key} (e.g. a job number), so that an owner needs no table. */
    public SpawnSpec withCorrelation(Object key) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, overcommit, key, announce);
    }

    /**
     * Each task's owner first gets a {@link MsgTaskStarted} (its task ID, host and this spec's correlation key),
     * before any message, result or exit of the task, whatever the order of the spawn's reply.
     */
    public SpawnSpec withStartedEvents(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, overcommit, correlation, b);
    }
}
