package org.pvmakka.internal.bridge;

import org.pvmakka.task.PvmError;

/**
 * The outcome for one host of {@code pvm_addhosts}/{@code pvm_delhosts}.
 *
 * @param host the host name (with options) as requested
 * @param code for an add: the new dtid when positive; for a delete: 0 on success; else a PVM error
 */
public record HostResult(String host, int code) {

    /** True when the operation succeeded for this host. */
    public boolean ok() {
        return code >= 0;
    }

    /** The error, or {@code null} on success. */
    public PvmError error() {
        return code >= 0 ? null : PvmError.ofCode(code);
    }
}
