package org.pvmakka.internal.worker;

import java.util.List;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * The resident reporter task the runtime keeps on every host: it sends its host's name and CPU
 * core count to its parent at once and then every {@code args[0]} milliseconds, as a heartbeat.
 * It runs until it is killed, its parent exits (the worker watches it) or its pvmd dies (the send
 * fails). A host whose sentinel falls silent is declared lost long before pvmd notices.
 */
public final class HostSentinel implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws InterruptedException {
        long intervalMillis = ((Number) args.get(0)).longValue();
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + intervalMillis);
        }
        HostReport report = new HostReport(context.hostId().name(), context.availableCores());
        while (true) {
            context.send(context.parentId(), report);
            Thread.sleep(intervalMillis);
        }
    }
}
