package org.pvmakka.task;

/**
 * A PVM host ID: the host's {@code dtid} (the host part of a tid, e.g. {@code 0x40000}) and its
 * name ("Unknown" when it could not be obtained). Valid dtids are positive. Printed in hex.
 *
 * @param dtid the PVM host ID
 * @param name the host name, never null
 */
public record HostId(int dtid, String name) implements Comparable<HostId> {

    /** The name used when the host name is not known. */
    public static final String UNKNOWN = "Unknown";

    /**
     * Replaces a null or blank name with {@link #UNKNOWN}.
     *
     * @param dtid the PVM host ID
     * @param name the host name, never null
     */
    public HostId {
        name = name == null || name.isBlank() ? UNKNOWN : name;
    }

    /**
     * A host ID whose name is not known.
     *
     * @param dtid the PVM host ID
     * @return the host ID named {@link #UNKNOWN}
     */
    public static HostId of(int dtid) {
        return new HostId(dtid, UNKNOWN);
    }

    /** {@return true when this is a host ID and not an error code, i.e. the dtid is positive} */
    public boolean isValid() {
        return dtid > 0;
    }

    @Override
    public int compareTo(HostId o) {
        return Integer.compare(dtid, o.dtid);
    }

    @Override
    public String toString() {
        return (dtid > 0 ? Integer.toHexString(dtid) : "<invalid " + dtid + ">") + "(" + name + ")";
    }
}
