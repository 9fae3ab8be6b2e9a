package org.pvmakka.javadsl;

import org.pvmakka.internal.actors.HostMonitor;
import org.pvmakka.task.HostId;

/** Host events published to subscribers by the {@link HostMonitor}. */
public sealed interface HostEvent {
    /** The host concerned. */
    HostId host();

    /** A host joined the virtual machine. */
    record MsgHostAdd(HostId host) implements HostEvent {
    }

    /** A host left the virtual machine: deleted, or found dead by PVM. */
    record MsgHostDelete(HostId host, String reason) implements HostEvent {
    }

    /**
     * A host's responsiveness changed (measured by the reporter task).
     *
     * @param problem why it is unresponsive (null when responsive)
     */
    record MsgHostResponsive(HostId host, boolean responsive, int cores, String problem) implements HostEvent {
        /** Without a problem (responsive). */
        public MsgHostResponsive(HostId host, boolean responsive, int cores) {
            this(host, responsive, cores, null);
        }
    }
}
