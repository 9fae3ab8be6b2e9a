package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** The benchmark's trivial job: takes a 64-byte array, returns 64 bytes (the argument, first byte bumped). */
public final class Bytes64 implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        byte[] in = (byte[]) args.get(0);
        byte[] out = in.clone();
        out[0]++;
        return out;
    }
}
