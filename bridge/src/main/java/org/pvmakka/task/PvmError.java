package org.pvmakka.task;

/** Every error code of {@code pvm3.h} (PVM 3.4.6), with its C name and the library's own text. */
public enum PvmError {
    OK(0, "PvmOk", "Success"),
    BAD_PARAM(-2, "PvmBadParam", "Bad parameter"),
    MISMATCH(-3, "PvmMismatch", "Parameter mismatch"),
    OVERFLOW(-4, "PvmOverflow", "Value too large"),
    NO_DATA(-5, "PvmNoData", "End of buffer"),
    NO_HOST(-6, "PvmNoHost", "No such host"),
    NO_FILE(-7, "PvmNoFile", "No such file"),
    DENIED(-8, "PvmDenied", "Permission denied"),
    NO_MEM(-10, "PvmNoMem", "Malloc failed"),
    BAD_MSG(-12, "PvmBadMsg", "Can't decode message"),
    SYS_ERR(-14, "PvmSysErr", "Can't contact local daemon"),
    NO_BUF(-15, "PvmNoBuf", "No current buffer"),
    NO_SUCH_BUF(-16, "PvmNoSuchBuf", "No such buffer"),
    NULL_GROUP(-17, "PvmNullGroup", "Null group name"),
    DUP_GROUP(-18, "PvmDupGroup", "Already in group"),
    NO_GROUP(-19, "PvmNoGroup", "No such group"),
    NOT_IN_GROUP(-20, "PvmNotInGroup", "Not in group"),
    NO_INST(-21, "PvmNoInst", "No such instance"),
    HOST_FAIL(-22, "PvmHostFail", "Host failed"),
    NO_PARENT(-23, "PvmNoParent", "No parent task"),
    NOT_IMPL(-24, "PvmNotImpl", "Not implemented"),
    DSYS_ERR(-25, "PvmDSysErr", "Pvmd system error"),
    BAD_VERSION(-26, "PvmBadVersion", "Version mismatch"),
    OUT_OF_RES(-27, "PvmOutOfRes", "Out of resources"),
    DUP_HOST(-28, "PvmDupHost", "Duplicate host"),
    CANT_START(-29, "PvmCantStart", "Can't start pvmd"),
    ALREADY(-30, "PvmAlready", "Already in progress"),
    NO_TASK(-31, "PvmNoTask", "No such task"),
    NOT_FOUND(-32, "PvmNotFound", "Not Found"),
    EXISTS(-33, "PvmExists", "Already exists"),
    HOSTR_NMSTR(-34, "PvmHostrNMstr", "Hoster run on non-master host"),
    PARENT_NOT_SET(-35, "PvmParentNotSet", "Spawning parent set PvmNoSpawnParent"),
    IP_LOOPBACK(-36, "PvmIPLoopback", "Master Host's IP is Loopback");

    private static final PvmError[] BY_NEGATED_CODE = new PvmError[37];

    static {
        for (PvmError e : values()) {
            BY_NEGATED_CODE[-e.code] = e;
        }
    }

    private final int code;
    private final String cName;
    private final String text;

    PvmError(int code, String cName, String text) {
        this.code = code;
        this.cName = cName;
        this.text = text;
    }

    /** The numeric code, as in {@code pvm3.h} (0 or negative). */
    public int code() {
        return code;
    }

    /** The C constant's name, e.g. {@code PvmNoTask}. */
    public String cName() {
        return cName;
    }

    /** The library's own description, e.g. "No such task". */
    public String text() {
        return text;
    }

    /**
     * The error for a code, or {@code null} when the code is not one of {@code pvm3.h}'s.
     *
     * @param code a PVM return code
     */
    public static PvmError ofCode(int code) {
        if (code > 0 || code < -36) {
            return null;
        }
        return BY_NEGATED_CODE[-code];
    }

    /** "PvmNoTask (-31): No such task". */
    public String describe() {
        return cName + " (" + code + "): " + text;
    }
}
