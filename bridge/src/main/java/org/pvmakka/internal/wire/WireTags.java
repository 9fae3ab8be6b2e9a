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
