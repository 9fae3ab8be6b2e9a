package org.pvmakka.javadsl;

import org.pvmakka.internal.actors.HostMonitor;
import org.pvmakka.task.HostId;

/** Host events published to subscribers by the {@link HostMonitor}. */
public sealed interface HostEvent {
    /** {@return the host concerned} */
    HostId host();

    /**
     * A host joined the virtual machine.
     *
     * @param host the new host
     */
    record MsgHostAdd(HostId host) implements HostEvent {
    }

    /**
     * A host left the virtual machine: deleted, or found dead by PVM.
     *
     * @param host the host that left
     * @param reason why it left
     */
    record MsgHostDelete(HostId host, String reason) implements HostEvent {
    }

    /**
     * A host's responsiveness changed (measured by the reporter task).
     *
     * @param host the host
     * @param responsive whether its reporter answered
     * @param cores its measured CPU cores, -1 when not measured
     * @param problem why it is unresponsive (null when responsive)
     */
    record MsgHostResponsive(HostId host, boolean responsive, int cores, String problem) implements HostEvent {
        /**
         * Without a problem.
         *
         * @param host the host
         * @param responsive whether its reporter answered
         * @param cores its measured CPU cores, -1 when not measured
         */
        public MsgHostResponsive(HostId host, boolean responsive, int cores) {
            this(host, responsive, cores, null);
        }
    }
}
