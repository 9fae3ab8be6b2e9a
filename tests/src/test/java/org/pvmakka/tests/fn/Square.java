package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.worker.TaskContext;
import org.pvmakka.worker.TaskFunction;

/** Returns the square of its integer argument. */
public final class Square implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        int x = (Integer) args.get(0);
        return x * x;
    }
}
