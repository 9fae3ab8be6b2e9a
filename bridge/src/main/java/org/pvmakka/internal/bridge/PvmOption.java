package org.pvmakka.internal.bridge;

/** Options of {@code pvm_setopt} the runtime uses, with their {@code pvm3.h} values. */
public enum PvmOption {
    /** Routing policy: {@link #DONT_ROUTE}, {@link #ALLOW_DIRECT} or {@link #ROUTE_DIRECT}. */
    ROUTE(1),
    /** Automatic error reporting by libpvm (the runtime keeps it at 0). */
    AUTO_ERR(3),
    /** Where children's stdout goes (a tid, 0 = the pvmd log). */
    OUTPUT_TID(4),
    /** The message tag of children's stdout messages. */
    OUTPUT_CODE(5),
    /** Message fragment size in bytes (default 4080; 65536 is about 4x faster for big messages). */
    FRAG_SIZE(10),
    /** Allow reserved message tids and codes. */
    RESV_TIDS(11),
    /** Where this task's own stdout goes. */
    SELF_OUTPUT_TID(12),
    /** The message tag of this task's own stdout messages. */
    SELF_OUTPUT_CODE(13),
    /** Whether {@code pvm_catchout} prefixes output with task IDs. */
    SHOW_TIDS(18);

    /** {@code PvmDontRoute}: messages always go through the pvmds. */
    public static final int DONT_ROUTE = 1;
    /** {@code PvmAllowDirect}: accept direct task-task links, but don't request them. */
    public static final int ALLOW_DIRECT = 2;
    /** {@code PvmRouteDirect}: request direct task-task links. */
    public static final int ROUTE_DIRECT = 3;

    private final int code;

    PvmOption(int code) {
        this.code = code;
    }

    /** The value passed to {@code pvm_setopt}. */
    public int code() {
        return code;
    }
}
