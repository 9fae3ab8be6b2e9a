package org.pvmakka.internal.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The payload a spawner sends to a freshly spawned worker: which function to run, with which
 * arguments, and whether to send back a {@link WireResult}.
 *
 * @param functionClass a class on the worker's classpath implementing {@code TaskFunction}
 * @param args the arguments (registered types; null elements allowed); copied, do not modify
 * @param sendBack whether the worker sends the outcome back to its parent
 * @param window the credit window of the task's messages to its parent; null = none (the runtime's own tasks)
 */
public record SpawnRequest(String functionClass, List<Object> args, boolean sendBack, FlowWindow window) {
    public SpawnRequest {
        if (functionClass == null || functionClass.isBlank()) {
            throw new IllegalArgumentException("functionClass is required");
        }
        args = args == null ? new ArrayList<>() : new ArrayList<>(args);
    }

    /** Without a credit window. */
    public SpawnRequest(String functionClass, List<Object> args, boolean sendBack) {
        this(functionClass, args, sendBack, null);
    }
}
