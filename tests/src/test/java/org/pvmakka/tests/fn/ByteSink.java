package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.Received;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * Counts the byte arrays it receives; on "end" sends its sender {@code long[] {messages, bytes}}
 * and starts counting afresh; returns how many rounds it served when it receives "stop".
 */
public final class ByteSink implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        int rounds = 0;
        long count = 0;
        long bytes = 0;
        while (true) {
            Received m = context.receive(-1).orElseThrow();
            Object o = m.message();
            if (o instanceof byte[] b) {
                count++;
                bytes += b.length;
            } else if ("end".equals(o)) {
                context.send(m.sender(), new long[] {count, bytes});
                count = 0;
                bytes = 0;
                rounds++;
            } else if ("stop".equals(o)) {
                return rounds;
            }
        }
    }
}
