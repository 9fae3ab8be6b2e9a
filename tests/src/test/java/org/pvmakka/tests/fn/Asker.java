package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.Received;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Sends its argument to its parent, waits (10 s at most) for the answer and returns it. */
public final class Asker implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws Exception {
        context.send(context.parentId(), args.get(0));
        Received r = context.receive(10).orElseThrow(() -> new IllegalStateException("no answer in 10 s"));
        return "answer: " + r.message();
    }
}
