package org.pvmakka.javadsl;

import java.time.Instant;
import org.pvmakka.task.HostId;

/**
 * One host as the runtime sees it.
 *
 * @param id dtid and name
 * @param arch PVM architecture
 * @param speed relative speed from the hostfile
 * @param cores CPU cores measured by the reporter task, -1 until measured
 * @param tasks tasks running there (this runtime's and other programs', not the runtime itself)
 * @param responsive whether the reporter answered; unresponsive hosts are never used for spawning
 * @param problem why the host is unresponsive (its probe's failure: the reporter could not start, with the worker's
 *     own error, or did not answer), or null
 * @param lastHeartbeat when its sentinel's last heartbeat (or first report) came, or null before the first
 */
public record HostStatus(HostId id, String arch, int speed, int cores, int tasks, boolean responsive,
        String problem, Instant lastHeartbeat) {
    /**
     * A host without a heartbeat time.
     *
     * @param id dtid and name
     * @param arch PVM architecture
     * @param speed relative speed from the hostfile
     * @param cores measured CPU cores, -1 until measured
     * @param tasks tasks running there
     * @param responsive whether the reporter answered
     * @param problem why it is unresponsive, or null
     */
    public HostStatus(HostId id, String arch, int speed, int cores, int tasks, boolean responsive, String problem) {
        this(id, arch, speed, cores, tasks, responsive, problem, null);
    }

    /**
     * A host without a known problem.
     *
     * @param id dtid and name
     * @param arch PVM architecture
     * @param speed relative speed from the hostfile
     * @param cores measured CPU cores, -1 until measured
     * @param tasks tasks running there
     * @param responsive whether the reporter answered
     */
    public HostStatus(HostId id, String arch, int speed, int cores, int tasks, boolean responsive) {
        this(id, arch, speed, cores, tasks, responsive, null, null);
    }

    /** {@return the slots: one per measured core, 0 until measured} */
    public int slots() {
        return Math.max(cores, 0);
    }

    /** {@return the slots not taken by running tasks; 0 for an unresponsive host} */
    public int freeSlots() {
        return responsive ? Math.max(slots() - tasks, 0) : 0;
    }
}
