package org.pvmakka.internal.bridge;

/** The {@code pvm_notify} events the runtime uses, with their {@code pvm3.h} values. */
public enum NotifyKind {
    /** A task exited, was killed, or its host died. Body: the tid as registered. */
    TASK_EXIT(1),
    /** A host was deleted or found dead. Body: the dtid as registered. */
    HOST_DELETE(2),
    /** Hosts were added. Body: a count, then that many dtids. */
    HOST_ADD(3);

    /** {@code PvmNotifyCancel}: or-ed into the kind to cancel a notify. */
    public static final int CANCEL = 256;

    private final int code;

    NotifyKind(int code) {
        this.code = code;
    }

    /** The value passed to {@code pvm_notify}. */
    public int code() {
        return code;
    }
}
