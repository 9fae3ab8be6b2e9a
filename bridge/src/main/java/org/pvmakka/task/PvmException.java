package org.pvmakka.task;

/** A PVM call failed: carries the {@link PvmError} (or the raw code if unknown) and the operation. */
public class PvmException extends RuntimeException {
    /** The PVM error, or {@code null} when the code is not one of {@code pvm3.h}'s or there is none. */
    private final PvmError error;
    /** The raw return code, 0 when there is none. */
    private final int code;
    /** The call that failed. */
    private final String operation;

    /**
     * @param operation the call that failed, with its arguments, e.g. {@code pvm_send(t40002, 31003)}
     * @param code the negative code libpvm returned
     */
    public PvmException(String operation, int code) {
        super(operation + " failed: " + describe(code));
        this.error = PvmError.ofCode(code);
        this.code = code;
        this.operation = operation;
    }

    /**
     * A failure with a PVM code found before calling libpvm, explained in {@code message}.
     *
     * @param operation the call that failed, with its arguments
     * @param code the PVM code the failure stands for
     * @param message what was wrong
     */
    public PvmException(String operation, int code, String message) {
        super(operation + " failed: " + message + " [" + describe(code) + "]");
        this.error = PvmError.ofCode(code);
        this.code = code;
        this.operation = operation;
    }

    /**
     * For failures that are not a libpvm return code (loading the library, refused arguments).
     *
     * @param operation the call that failed, with its arguments
     * @param message what was wrong
     * @param cause the underlying exception, or {@code null}
     */
    public PvmException(String operation, String message, Throwable cause) {
        super(operation + " failed: " + message, cause);
        this.error = null;
        this.code = 0;
        this.operation = operation;
    }

    private static String describe(int code) {
        PvmError e = PvmError.ofCode(code);
        return e != null ? e.describe() : "unknown PVM code " + code;
    }

    /** {@return the PVM error, or {@code null} if the failure has no {@code pvm3.h} code} */
    public PvmError error() {
        return error;
    }

    /** {@return the raw return code, 0 when the failure has no code} */
    public int code() {
        return code;
    }

    /** {@return the operation that failed, with its arguments} */
    public String operation() {
        return operation;
    }
}
