package org.pvmakka.demo;

import java.util.List;
import java.util.SplittableRandom;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * The demo's task: throws {@code samples} random points at the unit square and returns how many
 * fall inside the quarter circle. Arguments: samples (Long), seed (Long), combined with the task ID.
 */
public final class MonteCarloPi implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        long samples = ((Number) args.get(0)).longValue();
        // every task of a spawn gets the same arguments: mix in the task ID for an independent stream
        SplittableRandom rnd = new SplittableRandom(((Number) args.get(1)).longValue() * 1_000_003L
                + context.taskId().tid());
        long hits = 0;
        for (long i = 0; i < samples; i++) {
            double x = rnd.nextDouble();
            double y = rnd.nextDouble();
            if (x * x + y * y <= 1.0) {
                hits++;
            }
        }
        return hits;
    }
}
