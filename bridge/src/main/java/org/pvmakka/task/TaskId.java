package org.pvmakka.task;

/**
 * A PVM task ID ({@code tid}). Valid IDs are positive; an invalid ID is negative (a PVM error code).
 * Printed in hex like the PVM console does: {@code t40001}.
 *
 * @param tid the PVM task ID
 */
public record TaskId(int tid) implements Comparable<TaskId> {

    /** The daemon flag of a tid ({@code TIDPVMD}); a message from a pvmd has it set. */
    public static final int TIDPVMD = 0x80000000;
    /** The host part of a tid ({@code TIDHOST}). */
    public static final int TIDHOST = 0x3ffc0000;

    /** An ID that names no task. */
    public static final TaskId INVALID = new TaskId(-1);

    /** {@return true when this is a task ID and not an error code or a daemon address} */
    public boolean isValid() {
        return tid > 0;
    }

    /** {@return the dtid of the host this task runs on ({@code pvm_tidtohost} without a call)} */
    public int hostDtid() {
        return tid & TIDHOST;
    }

    @Override
    public int compareTo(TaskId o) {
        return Integer.compare(tid, o.tid);
    }

    @Override
    public String toString() {
        return tid > 0 || tid == TIDPVMD ? "t" + Integer.toHexString(tid) : "t<invalid " + tid + ">";
    }
}
