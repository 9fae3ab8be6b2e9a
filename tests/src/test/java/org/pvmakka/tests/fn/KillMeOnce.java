package org.pvmakka.tests.fn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * The simulator's {@link ExitOnce} (a simulated worker is a thread of the test JVM, which must not
 * exit): the first time, it asks its parent to kill it ("kill-me") and waits; returns "survived" when
 * the marker file named by its argument is already there.
 */
public final class KillMeOnce implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws Exception {
        Path marker = Path.of((String) args.get(0));
        if (!Files.exists(marker)) {
            Files.writeString(marker, context.taskId().toString());
            context.send(context.parentId(), "kill-me");
            Thread.sleep(60_000);
        }
        return "survived";
    }
}
