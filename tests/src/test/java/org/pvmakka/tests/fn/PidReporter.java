package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Sends its process ID to its parent, then sleeps for its argument in milliseconds. */
public final class PidReporter implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        context.send(context.parentId(), ProcessHandle.current().pid());
        Thread.sleep(((Number) args.get(0)).longValue());
        return "slept";
    }
}
