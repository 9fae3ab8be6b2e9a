package org.pvmakka.javadsl;

/**
 * A bad {@code pvm-akka} setting. The message reads {@code pvm-akka.<key> = <value>: <what is allowed>}.
 */
public final class PvmSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The key below {@code pvm-akka}. */
    private final String key;
    /** The value as configured, or {@code (missing)}. */
    private final String value;

    /**
     * @param key the key below {@code pvm-akka}, e.g. {@code ask-timeout}
     * @param value the value as configured (rendered), or {@code (missing)}
     * @param allowed what the key allows
     */
    public PvmSettingsException(String key, String value, String allowed) {
        super("pvm-akka." + key + " = " + value + ": " + allowed);
        this.key = key;
        this.value = value;
    }

    /** {@return the key below {@code pvm-akka}, e.g. {@code ask-timeout}} */
    public String key() {
        return key;
    }

    /** {@return the offending value as configured, or {@code (missing)}} */
    public String value() {
        return value;
    }
}
