package org.pvmakka.internal.bridge;

import org.pvmakka.task.TaskId;

/**
 * One task of the virtual machine, as {@code pvm_tasks} reports it ({@code struct pvmtaskinfo}).
 *
 * @param tid the task ID
 * @param parentTid the parent's tid (0 or negative when it has none)
 * @param hostDtid the host it runs on
 * @param flags PVM status flags of the task
 * @param name the program name ({@code ti_a_out}), may be empty for tasks that enrolled themselves
 * @param pid the Unix process ID on its host
 */
public record TaskInfo(int tid, int parentTid, int hostDtid, int flags, String name, int pid) {
    public TaskInfo {
        name = name == null ? "" : name;
    }

    /** This task's ID. */
    public TaskId id() {
        return new TaskId(tid);
    }
}
