package org.pvmakka.tests.hardening;

import java.util.List;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * A spawned task whose author goes around {@link TaskContext}: it opens libpvm itself and sends
 * its parent, the runtime, the {@link RogueTask#forgedLengths forged lengths} on the result and
 * user tags, which the runtime decodes from a task it spawned. Then it returns how many it sent.
 * (libpvm is not thread-safe; the worker's own thread is idle meanwhile: nothing is sent to this
 * task, and it sends nothing through its context.)
 */
public final class ForgingTask implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        JnaPvm pvm = JnaPvm.open(JnaPvmOptions.defaults().withAllowRoot(true));
        pvm.mytid(); // already enrolled: the worker's tid
        int sent = 0;
        for (byte[] forged : RogueTask.forgedLengths(context.taskId().tid())) {
            for (int tag : new int[] {WireTags.RESULT, WireTags.USER}) {
                pvm.send(context.parentId().tid(), tag, forged);
                sent++;
            }
        }
        return sent;
    }
}
