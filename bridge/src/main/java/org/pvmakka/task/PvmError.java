package org.pvmakka.task;

/** Every error code of {@code pvm3.h} (PVM 3.4.6), with its C name and the library's own text. */
public enum PvmError {
    /** Success. */
    OK(0, "PvmOk", "Success"),
    /** An argument was invalid. */
    BAD_PARAM(-2, "PvmBadParam", "Bad parameter"),
    /** Arguments do not agree with each other. */
    MISMATCH(-3, "PvmMismatch", "Parameter mismatch"),
    /** A value does not fit. */
    OVERFLOW(-4, "PvmOverflow", "Value too large"),
    /** Read past the end of the message buffer. */
    NO_DATA(-5, "PvmNoData", "End of buffer"),
    /** The host is not in the virtual machine. */
    NO_HOST(-6, "PvmNoHost", "No such host"),
    /** The executable to spawn was not found. */
    NO_FILE(-7, "PvmNoFile", "No such file"),
    /** Not permitted. */
    DENIED(-8, "PvmDenied", "Permission denied"),
    /** The library or daemon ran out of memory. */
    NO_MEM(-10, "PvmNoMem", "Malloc failed"),
    /** A message could not be decoded. */
    BAD_MSG(-12, "PvmBadMsg", "Can't decode message"),
    /** The local pvmd cannot be reached (not running, or it died). */
    SYS_ERR(-14, "PvmSysErr", "Can't contact local daemon"),
    /** There is no active message buffer. */
    NO_BUF(-15, "PvmNoBuf", "No current buffer"),
    /** The message buffer ID names no buffer. */
    NO_SUCH_BUF(-16, "PvmNoSuchBuf", "No such buffer"),
    /** The group name is null. */
    NULL_GROUP(-17, "PvmNullGroup", "Null group name"),
    /** The task is already in that group. */
    DUP_GROUP(-18, "PvmDupGroup", "Already in group"),
    /** The group does not exist. */
    NO_GROUP(-19, "PvmNoGroup", "No such group"),
    /** The task is not in that group. */
    NOT_IN_GROUP(-20, "PvmNotInGroup", "Not in group"),
    /** The group has no such instance. */
    NO_INST(-21, "PvmNoInst", "No such instance"),
    /** The host concerned has failed (its pvmd is gone). */
    HOST_FAIL(-22, "PvmHostFail", "Host failed"),
    /** The task has no parent. */
    NO_PARENT(-23, "PvmNoParent", "No parent task"),
    /** The function is not implemented. */
    NOT_IMPL(-24, "PvmNotImpl", "Not implemented"),
    /** A system error inside the pvmd. */
    DSYS_ERR(-25, "PvmDSysErr", "Pvmd system error"),
    /** The PVM versions of library and daemon differ. */
    BAD_VERSION(-26, "PvmBadVersion", "Version mismatch"),
    /** The pvmd ran out of resources (e.g. task slots). */
    OUT_OF_RES(-27, "PvmOutOfRes", "Out of resources"),
    /** The host is already in the virtual machine. */
    DUP_HOST(-28, "PvmDupHost", "Duplicate host"),
    /** A pvmd could not be started on the host. */
    CANT_START(-29, "PvmCantStart", "Can't start pvmd"),
    /** The operation is already in progress. */
    ALREADY(-30, "PvmAlready", "Already in progress"),
    /** The task does not exist. */
    NO_TASK(-31, "PvmNoTask", "No such task"),
    /** The looked-up entry does not exist. */
    NOT_FOUND(-32, "PvmNotFound", "Not Found"),
    /** The entry already exists. */
    EXISTS(-33, "PvmExists", "Already exists"),
    /** A hoster was started on a host that is not the master. */
    HOSTR_NMSTR(-34, "PvmHostrNMstr", "Hoster run on non-master host"),
    /** The task was spawned with {@code PvmNoSpawnParent}, so it has no parent to address. */
    PARENT_NOT_SET(-35, "PvmParentNotSet", "Spawning parent set PvmNoSpawnParent"),
    /** The master host's IP address is a loopback address. */
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

    /** {@return the numeric code, as in {@code pvm3.h}, 0 or negative} */
    public int code() {
        return code;
    }

    /** {@return the C constant's name, e.g. {@code PvmNoTask}} */
    public String cName() {
        return cName;
    }

    /** {@return the library's own description, e.g. "No such task"} */
    public String text() {
        return text;
    }

    /**
     * The error for a code, or {@code null} when the code is not one of {@code pvm3.h}'s.
     *
     * @param code a PVM return code
     * @return the matching error, or {@code null}
     */
    public static PvmError ofCode(int code) {
        if (code > 0 || code < -36) {
            return null;
        }
        return BY_NEGATED_CODE[-code];
    }

    /** {@return C name, code and text, e.g. "PvmNoTask (-31): No such task"} */
    public String describe() {
        return cName + " (" + code + "): " + text;
    }
}
