package org.pvmakka.internal.bridge;

import org.pvmakka.task.HostId;

/**
 * One host of the virtual machine, as {@code pvm_config} reports it ({@code struct pvmhostinfo}).
 *
 * @param dtid the host's ID
 * @param name host name
 * @param arch PVM architecture name, e.g. {@code LINUX64}
 * @param speed relative speed from the hostfile (default 1000)
 * @param dataSignature the host's data format signature
 */
public record HostInfo(int dtid, String name, String arch, int speed, int dataSignature) {
    public HostInfo {
        name = name == null ? HostId.UNKNOWN : name;
        arch = arch == null ? "" : arch;
    }

    /** This host's ID. */
    public HostId id() {
        return new HostId(dtid, name);
    }
}
