package org.pvmakka.tests.fn;

import java.util.List;
import java.util.Optional;
import org.pvmakka.task.Received;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Echoes every message back to its sender until it receives "stop"; returns how many it echoed. */
public final class Echo implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        int n = 0;
        while (true) {
            Optional<Received> m = context.receive(-1);
            if ("stop".equals(m.get().message())) {
                return n;
            }
            context.send(m.get().sender(), m.get().message());
            n++;
        }
    }
}
