package org.pvmakka.tests.fn;

import java.util.List;
import java.util.Optional;
import org.pvmakka.bridge.wire.TaskMessage;
import org.pvmakka.worker.TaskContext;
import org.pvmakka.worker.TaskFunction;

/** Echoes every message back to its sender until it receives "stop"; returns how many it echoed. */
public final class Echo implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        int n = 0;
        while (true) {
            Optional<TaskMessage> m = context.receive(-1);
            if ("stop".equals(m.get().message())) {
                return n;
            }
            context.send(m.get().sender(), m.get().message());
            n++;
        }
    }
}
