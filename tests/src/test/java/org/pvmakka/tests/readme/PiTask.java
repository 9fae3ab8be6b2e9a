package org.pvmakka.tests.readme;

import java.util.List;
import java.util.SplittableRandom;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

public final class PiTask implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        long samples = (Long) args.get(0);
        SplittableRandom random = new SplittableRandom(context.taskId().tid());
        long hits = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            hits += x * x + y * y <= 1.0 ? 1 : 0;
        }
        return hits;
    }
}
