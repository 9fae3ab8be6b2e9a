package org.pvmakka.internal.bridge;

import org.pvmakka.task.PvmError;
import org.pvmakka.task.TaskId;

/**
 * The outcome of one requested slot of {@code pvm_spawn}: the new task's ID, or the PVM error
 * for that slot. A spawn of N tasks yields N of these, so partial failures are visible.
 *
 * @param tid the task ID when positive, else the negative PVM error code
 */
public record SpawnResult(int tid) {

    /** True when a task was started for this slot. */
    public boolean started() {
        return tid > 0;
    }

    /** The started task. */
    public TaskId taskId() {
        return new TaskId(tid);
    }

    /** The error for this slot, or {@code null} if it started. */
    public PvmError error() {
        return tid > 0 ? null : PvmError.ofCode(tid);
    }

    @Override
    public String toString() {
        return started() ? taskId().toString() : "failed: " + (error() != null ? error().describe() : tid);
    }
}
