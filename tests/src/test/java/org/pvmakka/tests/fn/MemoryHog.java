package org.pvmakka.tests.fn;

import java.util.ArrayList;
import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * Runs out of heap in an allocation deep in its call stack, and again in its error handler (which
 * keeps the memory it holds). Without {@code -XX:+ExitOnOutOfMemoryError} the worker would go on
 * (and send a failure result, or hang); with it, the JVM ends at the first OutOfMemoryError.
 */
public final class MemoryHog implements TaskFunction {
    private static final List<long[]> HELD = new ArrayList<>();

    @Override
    public Object run(TaskContext context, List<Object> args) {
        try {
            return deep(64);
        } catch (OutOfMemoryError e) {
            while (true) {
                HELD.add(new long[1 << 16]); // the handler needs memory too
            }
        }
    }

    private static Object deep(int depth) {
        if (depth > 0) {
            return deep(depth - 1);
        }
        while (true) {
            HELD.add(new long[1 << 17]);
        }
    }
}
