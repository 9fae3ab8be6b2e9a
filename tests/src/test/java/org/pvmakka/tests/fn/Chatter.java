package org.pvmakka.tests.fn;

import java.io.PrintStream;
import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Prints {@code args[0]} bytes of output (100-byte lines) to stdout and returns the count. */
public final class Chatter implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        long bytes = ((Number) args.get(0)).longValue();
        String line = "x".repeat(99);
        PrintStream out = System.out;
        long n = 0;
        for (; n + 100 <= bytes; n += 100) {
            out.println(line);
        }
        out.flush();
        return n;
    }
}
