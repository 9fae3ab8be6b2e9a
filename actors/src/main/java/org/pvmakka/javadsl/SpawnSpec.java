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
 */
public record SpawnSpec(String functionClass, List<Object> args, Integer count, List<HostId> targets, boolean sendBack,
        boolean overcommit) {
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

    /** One task of {@code function} with these arguments, sending back its result. */
    public static SpawnSpec of(Class<? extends TaskFunction> function, Object... args) {
        if (function == null) {
            throw new IllegalArgumentException("a task function class is required");
        }
        return new SpawnSpec(function.getName(), Arrays.asList(args), 1, List.of(), true, false);
    }

    /** {@code n} tasks. */
    public SpawnSpec withCount(int n) {
        return new SpawnSpec(functionClass, args, n, targets, sendBack, overcommit);
    }

    /** As many tasks as there are free slots. */
    public SpawnSpec fillFreeSlots() {
        return new SpawnSpec(functionClass, args, null, targets, sendBack, overcommit);
    }

    public SpawnSpec withTargets(List<HostId> hosts) {
        return new SpawnSpec(functionClass, args, count, hosts, sendBack, overcommit);
    }

    public SpawnSpec withSendBack(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, b, overcommit);
    }

    public SpawnSpec withOvercommit(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, b);
    }
}
