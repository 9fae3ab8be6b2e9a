package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Sleeps for its argument in milliseconds, then returns its own task ID as a string. */
public final class Sleeper implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        Thread.sleep(((Number) args.get(0)).longValue());
        return context.taskId().toString();
    }
}
