package org.pvmakka.internal.worker;

import java.util.List;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** The built-in reporter task: returns its host's name and CPU core count as a {@link HostReport}. */
public final class HostInfoReporter implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        return new HostReport(context.hostId().name(), context.availableCores());
    }
}
