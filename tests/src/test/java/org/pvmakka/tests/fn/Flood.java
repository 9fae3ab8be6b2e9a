package org.pvmakka.tests.fn;

import java.nio.ByteBuffer;
import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * Sends {@code args[0]} messages of {@code args[1]} bytes to its parent as fast as it can, each a {@code byte[]}
 * starting with its sequence number (a long); returns how many it sent.
 */
public final class Flood implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        int n = (Integer) args.get(0);
        int size = (Integer) args.get(1);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[size];
            ByteBuffer.wrap(b).putLong(i);
            context.send(context.parentId(), b);
        }
        return n;
    }

    /** The sequence number of a message of this function. */
    public static long seq(Object message) {
        return ByteBuffer.wrap((byte[]) message).getLong();
    }
}
