package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Prints a line with its argument to stdout and one to stderr, then returns. */
public final class Printer implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        System.out.println("out: " + args.get(0));
        System.err.println("err: " + args.get(0));
        return "printed";
    }
}
