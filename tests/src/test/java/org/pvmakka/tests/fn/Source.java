package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Sends the integers 0 .. {@code args[0]}-1 to its parent as fast as it can; returns how many. */
public final class Source implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        int n = (Integer) args.get(0);
        for (int i = 0; i < n; i++) {
            context.send(context.parentId(), i);
        }
        return n;
    }
}
