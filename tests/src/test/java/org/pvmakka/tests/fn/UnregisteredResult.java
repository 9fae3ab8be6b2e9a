package org.pvmakka.tests.fn;

import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/** Returns an object of a class that is not registered for the wire. */
public final class UnregisteredResult implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        return new StringBuilder("not on the wire");
    }
}
