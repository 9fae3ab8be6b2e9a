package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Always throws, with its argument in the message. */
public final class Thrower implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        throw new IllegalStateException("boom: " + args.get(0));
    }
}
