package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.Received;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.task.TaskId;

/**
 * Sends {@code args[1]} Points to the echo task {@code args[0]} (a tid), checks each comes back in
 * order, stops the echo, and returns how many round trips it made.
 */
public final class Relay implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        TaskId echo = new TaskId((Integer) args.get(0));
        int n = (Integer) args.get(1);
        for (int i = 0; i < n; i++) {
            Point p = new Point(i, -i, context.hostId().name());
            context.send(echo, p);
            Received back = context.receive(30).orElseThrow(() -> new IllegalStateException("no echo in 30 s"));
            if (!back.sender().equals(echo) || !p.equals(back.message())) {
                throw new IllegalStateException("unexpected " + back + " for " + p);
            }
        }
        context.send(echo, "stop");
        return n;
    }
}
