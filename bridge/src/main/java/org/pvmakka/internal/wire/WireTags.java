package org.pvmakka.internal.wire;


/** The PVM message tags the runtime uses. Messages with other tags are not the runtime's. */
public final class WireTags {
    private WireTags() {
    }

    /** Spawner to worker: the {@link SpawnRequest}. */
    public static final int SPAWN = 0x7a01;
    /** Worker to spawner: the {@link WireResult}. */
    public static final int RESULT = 0x7a02;
    /** A user message (any registered object), either way. */
    public static final int USER = 0x7a03;
    /** Runtime to worker: several user messages in one PVM message ({@link MessageBatch}). */
    public static final int USER_BATCH = 0x7a05;
    /** Runtime to worker: {@link Credit} for the task's messages to its parent ({@link FlowWindow}). */
    public static final int CREDIT = 0x7a06;
    /** Runtime to worker: a user message to acknowledge on receipt ({@link Delivery}). */
    public static final int DELIVER = 0x7a07;
    /** Worker to runtime: a {@link Delivery} is in the task's inbox ({@link Receipt}). */
    public static final int RECEIPT = 0x7a08;
    /** Worker: notify that its parent exited. */
    public static final int PARENT_EXIT = 0x7a04;
    /** Spawner: notify that a spawned task exited. */
    public static final int TASK_EXIT = 0x7a10;
    /** Spawner: notify that a host was deleted or failed. */
    public static final int HOST_DELETE = 0x7a11;
    /** Spawner: notify that hosts were added. */
    public static final int HOST_ADD = 0x7a12;
    /** Spawner: forwarded task output ({@code PvmOutputCode}). */
    public static final int OUTPUT = 0x7a13;

    /** True for the tags above. */
    public static boolean isRuntimeTag(int tag) {
        return tag >= SPAWN && tag <= OUTPUT;
    }
}
