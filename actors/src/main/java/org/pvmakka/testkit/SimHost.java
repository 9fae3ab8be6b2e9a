package org.pvmakka.testkit;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.pvmakka.internal.bridge.HostInfo;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;

/** One host of a {@link SimulatedCluster}; guarded by the cluster's lock. */
final class SimHost {
    /** The first host part of a tid ({@code TIDHOST}'s lowest bit): host index 1 is 0x40000. */
    static final int HOST_UNIT = Integer.lowestOneBit(TaskId.TIDHOST);
    /** The largest host index a tid can hold. */
    static final int MAX_INDEX = TaskId.TIDHOST / HOST_UNIT;
    /** The local part of a tid ({@code TIDLOCAL}). */
    static final int TIDLOCAL = HOST_UNIT - 1;

    final int index;
    final int dtid;
    final String name;
    final String arch;
    final int speed;
    final int cores;
    final int dataSignature;
    boolean alive = true;
    boolean unresponsive;
    private int nextLocal = 1;

    SimHost(int index, String name, String arch, int speed, int cores) {
        this.index = index;
        this.dtid = index * HOST_UNIT;
        this.name = name;
        this.arch = arch;
        this.speed = speed;
        this.cores = cores;
        this.dataSignature = signature(arch);
    }

    /**
     * A data signature per architecture: hosts of the same architecture share one, as in PVM.
     * Its value is derived from the name (the simulator has no real data formats).
     */
    private static int signature(String arch) {
        CRC32 crc = new CRC32();
        crc.update(arch.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() & 0x7fffffff);
    }

    /** The next tid of this host; local parts start at 1 and are never reused. */
    int newTid() {
        if (nextLocal > TIDLOCAL) {
            throw new IllegalStateException("host " + name + " ran out of task IDs");
        }
        return dtid | nextLocal++;
    }

    HostInfo info() {
        return new HostInfo(dtid, name, arch, speed, dataSignature);
    }

    HostId id() {
        return new HostId(dtid, name);
    }

    /** {@code TIDISTASK}: a tid with a local part and without the daemon flag. */
    static boolean isTask(int tid) {
        return tid > 0 && (tid & TIDLOCAL) != 0;
    }

    @Override
    public String toString() {
        return name + "(" + Integer.toHexString(dtid) + ")";
    }
}
