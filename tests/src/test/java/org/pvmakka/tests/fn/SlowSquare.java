package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Sleeps for its second argument in milliseconds, then returns the square of its first. */
public final class SlowSquare implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        Thread.sleep(((Number) args.get(1)).longValue());
        int x = (Integer) args.get(0);
        return x * x;
    }
}
