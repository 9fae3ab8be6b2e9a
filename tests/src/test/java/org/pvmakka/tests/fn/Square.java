package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Returns the square of its integer argument. */
public final class Square implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        int x = (Integer) args.get(0);
        return x * x;
    }
}
