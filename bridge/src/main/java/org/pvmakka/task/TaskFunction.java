package org.pvmakka.task;

import java.util.List;

/**
 * A function that pvm-akka runs in a worker JVM on a PVM host. Implementations need a public
 * no-argument constructor and must be on the worker's classpath; only classes implementing this
 * interface are ever run. The return value (a registered wire type, or null) is sent back as
 * {@code MsgTaskResult} when the spawner asked for it; an exception becomes a failed result with
 * the remote error.
 */
@FunctionalInterface
public interface TaskFunction {
    /**
     * Runs the task.
     *
     * @param context this task's identity and messaging
     * @param args the arguments given at spawn time
     * @return the result sent back to the spawner (a registered wire type), or null
     * @throws Exception any failure; it reaches the spawner as a failed result
     */
    Object run(TaskContext context, List<Object> args) throws Exception;
}
