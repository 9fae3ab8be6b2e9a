package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.Received;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * Receives integers until "stop" and checks that they are 0, 1, 2, ... with none lost, duplicated
 * or reordered; returns how many it received, or throws at the first gap.
 */
public final class Sink implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        int expected = 0;
        while (true) {
            Received m = context.receive(120).orElseThrow(() -> new IllegalStateException("silence for 120 s"));
            if ("stop".equals(m.message())) {
                return expected;
            }
            int got = (Integer) m.message();
            if (got != expected) {
                throw new IllegalStateException("expected " + expected + ", got " + got);
            }
            expected++;
        }
    }
}
