package org.pvmakka.tests.fn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * Calls {@code System.exit(3)} the first time it runs (it creates the marker file named by its
 * argument), returns "survived" when the marker is already there: a job that dies once.
 */
public final class ExitOnce implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws Exception {
        Path marker = Path.of((String) args.get(0));
        if (!Files.exists(marker)) {
            Files.writeString(marker, context.taskId().toString());
            System.exit(3);
        }
        return "survived";
    }
}
