package org.pvmakka.javadsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskFunction;

/**
 * What to spawn: a task function, its arguments, how many copies where. Build it with {@link #of} and the
 * {@code with...} methods.
 *
 * @param functionClass class name of a {@link TaskFunction} on the worker classpath
 * @param args arguments (registered wire types); copied
 * @param count how many tasks; null fills every free slot
 * @param targets hosts to use (empty = every responsive host)
 * @param sendBack whether each task sends back a {@code MsgTaskResult}
 * @param overcommit allow more tasks than free slots (spread evenly over the targets)
 * @param correlation a key of the caller's that every event of these tasks carries (never sent to PVM); may be null
 * @param announce whether each task's owner gets a {@link MsgTaskStarted} before any other event of the task
 * @param keepRunningWhenOwnerStops let the tasks run on when their owner stops (by default they are
 *     killed); their events are then dropped
 * @param timeLimit how long each task may run before it is killed and ends with cause
 *     {@link MsgTaskExit.Cause#TIME_LIMIT}; null = no limit
 * @param ownerFlowControl the owner confirms what it handled ({@link PvmCommand.MessagesHandled}) and each task's
 *     credit comes back only then (end-to-end flow control); false: credit comes back when the runtime has handed a
 *     message to the owner's mailbox
 */
public record SpawnSpec(String functionClass, List<Object> args, Integer count, List<HostId> targets, boolean sendBack,
        boolean overcommit, Object correlation, boolean announce, boolean keepRunningWhenOwnerStops,
        Duration timeLimit, boolean ownerFlowControl) {
    /**
     * Checks and copies the spec.
     *
     * @param functionClass class name of a {@link TaskFunction} on the worker classpath
     * @param args arguments (registered wire types); copied
     * @param count how many tasks; null fills every free slot
     * @param targets hosts to use (empty = every responsive host)
     * @param sendBack whether each task sends back a {@code MsgTaskResult}
     * @param overcommit allow more tasks than free slots (spread evenly over the targets)
     * @param correlation a key of the caller's that every event of these tasks carries (never sent to PVM); may be null
     * @param announce whether each task's owner gets a {@link MsgTaskStarted} before any other event of the task
     * @param keepRunningWhenOwnerStops let the tasks run on when their owner stops
     * @param timeLimit how long each task may run; null = no limit
     * @param ownerFlowControl whether the owner confirms what it handled before a task gets credit back
     * @throws IllegalArgumentException without a function class, or for a count or time limit that is not positive
     */
    public SpawnSpec {
        if (functionClass == null || functionClass.isBlank()) {
            throw new IllegalArgumentException("a task function class is required");
        }
        args = args == null ? new ArrayList<>() : new ArrayList<>(args);
        targets = targets == null ? List.of() : List.copyOf(targets);
        if (count != null && count <= 0) {
            throw new IllegalArgumentException("count must be positive (or null to fill every free slot), got " + count);
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("the time limit must be positive (or null for none), got " + timeLimit);
        }
    }

    /**
     * Without owner flow control.
     *
     * @param functionClass class name of a {@link TaskFunction} on the worker classpath
     * @param args arguments (registered wire types)
     * @param count how many tasks; null fills every free slot
     * @param targets hosts to use (empty = every responsive host)
     * @param sendBack whether each task sends back a {@code MsgTaskResult}
     * @param overcommit allow more tasks than free slots
     * @param correlation the key every event of these tasks carries, or null
     * @param announce whether the owner gets a {@link MsgTaskStarted} first
     * @param keepRunningWhenOwnerStops let the tasks run on when their owner stops
     * @param timeLimit how long each task may run; null = no limit
     */
    public SpawnSpec(String functionClass, List<Object> args, Integer count, List<HostId> targets, boolean sendBack,
            boolean overcommit, Object correlation, boolean announce, boolean keepRunningWhenOwnerStops,
            Duration timeLimit) {
        this(functionClass, args, count, targets, sendBack, overcommit, correlation, announce,
                keepRunningWhenOwnerStops, timeLimit, false);
    }

    /**
     * Without a correlation key, started events, owner policy or time limit: tasks are killed when their owner stops,
     * and run as long as they like.
     *
     * @param functionClass class name of a {@link TaskFunction} on the worker classpath
     * @param args arguments (registered wire types)
     * @param count how many tasks; null fills every free slot
     * @param targets hosts to use (empty = every responsive host)
     * @param sendBack whether each task sends back a {@code MsgTaskResult}
     * @param overcommit allow more tasks than free slots
     */
    public SpawnSpec(String functionClass, List<Object> args, Integer count, List<HostId> targets, boolean sendBack,
            boolean overcommit) {
        this(functionClass, args, count, targets, sendBack, overcommit, null, false, false, null, false);
    }

    /**
     * One task of {@code function} with these arguments, on any responsive host, sending back its result.
     *
     * @param function the task function
     * @param args its arguments (registered wire types)
     * @return the spec
     * @throws IllegalArgumentException when {@code function} is null
     */
    public static SpawnSpec of(Class<? extends TaskFunction> function, Object... args) {
        if (function == null) {
            throw new IllegalArgumentException("a task function class is required");
        }
        return new SpawnSpec(function.getName(), Arrays.asList(args), 1, List.of(), true, false);
    }

    /**
     * {@code n} tasks.
     *
     * @param n how many, positive
     * @return a copy with that count
     */
    public SpawnSpec withCount(int n) {
        return new SpawnSpec(functionClass, args, n, targets, sendBack, overcommit, correlation, announce,
                keepRunningWhenOwnerStops, timeLimit, ownerFlowControl);
    }

    /** {@return a copy that starts as many tasks as there are free slots} */
    public SpawnSpec fillFreeSlots() {
        return new SpawnSpec(functionClass, args, null, targets, sendBack, overcommit, correlation, announce,
                keepRunningWhenOwnerStops, timeLimit, ownerFlowControl);
    }

    /**
     * Only these hosts.
     *
     * @param hosts the hosts to spawn on; empty = every responsive host
     * @return a copy with these targets
     */
    public SpawnSpec withTargets(List<HostId> hosts) {
        return new SpawnSpec(functionClass, args, count, hosts, sendBack, overcommit, correlation, announce,
                keepRunningWhenOwnerStops, timeLimit, ownerFlowControl);
    }

    /**
     * Whether each task sends back its result.
     *
     * @param b true to get a {@code MsgTaskResult} per task
     * @return a copy with this setting
     */
    public SpawnSpec withSendBack(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, b, overcommit, correlation, announce,
                keepRunningWhenOwnerStops, timeLimit, ownerFlowControl);
    }

    /**
     * Whether more tasks than free slots may start.
     *
     * @param b true to allow it (tasks are spread evenly over the targets)
     * @return a copy with this setting
     */
    public SpawnSpec withOvercommit(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, b, correlation, announce,
                keepRunningWhenOwnerStops, timeLimit, ownerFlowControl);
    }

    /**
     * Every event of these tasks carries {@code key} (e.g. a job number), so that an owner needs no table.
     *
     * @param key the correlation key, or null for none
     * @return a copy with this key
     */
    public SpawnSpec withCorrelation(Object key) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, overcommit, key, announce,
                keepRunningWhenOwnerStops, timeLimit, ownerFlowControl);
    }

    /**
     * Each task's owner first gets a {@link MsgTaskStarted} (its task ID, host and this spec's correlation key),
     * before any message, result or exit of the task, whatever the order of the spawn's reply.
     *
     * @param b true to get the started events
     * @return a copy with this setting
     */
    public SpawnSpec withStartedEvents(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, overcommit, correlation, b,
                keepRunningWhenOwnerStops, timeLimit, ownerFlowControl);
    }

    /**
     * Whether the tasks run on when their owner stops (default: they are killed).
     *
     * @param b true to let them run on; their events are then dropped
     * @return a copy with this setting
     */
    public SpawnSpec withKeepRunningWhenOwnerStops(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, overcommit, correlation, announce, b,
                timeLimit, ownerFlowControl);
    }

    /**
     * Each task is killed when it has run this long; it then ends with cause {@code TIME_LIMIT}.
     *
     * @param limit a positive duration
     * @return a copy with this limit
     * @throws IllegalArgumentException when {@code limit} is null, zero or negative
     */
    public SpawnSpec withTimeLimit(Duration limit) {
        if (limit == null) {
            throw new IllegalArgumentException("a time limit is required (a positive duration)");
        }
        return new SpawnSpec(functionClass, args, count, targets, sendBack, overcommit, correlation, announce,
                keepRunningWhenOwnerStops, limit, ownerFlowControl);
    }

    /**
     * End-to-end flow control: the owner confirms each message it has handled with
     * {@link PvmCommand.MessagesHandled}, and a task's sends wait while {@code pvm-akka.flow-control.window-messages}
     * (or {@code window-bytes}) of its messages are unconfirmed, so that the owner's mailbox holds at most that much
     * of each task. Without it (the default) credit comes back as soon as the runtime hands a message to the owner:
     * the runtime's buffers are bounded, the owner's mailbox is not.
     *
     * @param b true for end-to-end flow control
     * @return a copy with this setting
     */
    public SpawnSpec withOwnerFlowControl(boolean b) {
        return new SpawnSpec(functionClass, args, count, targets, sendBack, overcommit, correlation, announce,
                keepRunningWhenOwnerStops, timeLimit, b);
    }
}
