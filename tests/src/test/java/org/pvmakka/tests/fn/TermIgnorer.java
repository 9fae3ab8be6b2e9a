package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * Makes its worker JVM ignore SIGTERM (a TERM handler that does nothing), sends its process ID to
 * its parent, then sleeps for its argument in milliseconds. Only a SIGKILL ends it early. Never run
 * it in the test JVM (the simulator's workers are threads of that JVM).
 */
public final class TermIgnorer implements TaskFunction {
    @Override
    @SuppressWarnings("sunapi")
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> { });
        context.send(context.parentId(), ProcessHandle.current().pid());
        Thread.sleep(((Number) args.get(0)).longValue());
        return "slept";
    }
}
