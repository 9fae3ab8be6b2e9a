package org.pvmakka.javadsl;

import org.pvmakka.task.TaskId;

/**
 * One task of the virtual machine, this runtime's or another program's, as {@code pvm_tasks} reports it (the
 * console's {@code ps}).
 *
 * @param tid the task ID
 * @param parentTid the parent's tid (0 or negative when it has none)
 * @param hostDtid the host it runs on
 * @param flags PVM status flags of the task
 * @param name the program name, may be empty for tasks that enrolled themselves
 * @param pid the Unix process ID on its host
 */
public record VmTask(int tid, int parentTid, int hostDtid, int flags, String name, int pid) {
    /**
     * A null name becomes empty.
     *
     * @param tid the task ID
     * @param parentTid the parent's tid (0 or negative when it has none)
     * @param hostDtid the host it runs on
     * @param flags PVM status flags of the task
     * @param name the program name, may be empty for tasks that enrolled themselves
     * @param pid the Unix process ID on its host
     */
    public VmTask {
        name = name == null ? "" : name;
    }

    /** {@return this task's ID} */
    public TaskId id() {
        return new TaskId(tid);
    }
}
