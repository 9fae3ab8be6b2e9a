package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Prints {@code args[0]} numbered lines (stdout, then a last one on stderr) and halts its JVM with exit code 3. */
public final class PrintThenHalt implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        int n = ((Number) args.get(0)).intValue();
        for (int i = 1; i <= n; i++) {
            System.out.println("progress line " + i + " of " + n);
        }
        System.out.flush();
        System.err.println("about to halt with 3");
        System.err.flush();
        Runtime.getRuntime().halt(3);
        return "never";
    }
}
