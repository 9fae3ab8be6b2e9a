package org.pvmakka.javadsl;

/**
 * The outcome for one host of {@link PvmCommand.AddHosts} or {@link PvmCommand.DeleteHosts}.
 *
 * @param host the host name (with options) as requested
 * @param dtid for an add: the new host's dtid; for a delete: 0; -1 on failure
 * @param error why it failed (the PVM error's name and text), or null on success
 */
public record HostChange(String host, int dtid, String error) {
    /** {@return true when the operation succeeded for this host (it has no error)} */
    public boolean ok() {
        return error == null;
    }
}
