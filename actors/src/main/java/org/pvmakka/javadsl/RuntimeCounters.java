package org.pvmakka.javadsl;

import java.util.Map;

/**
 * What the runtime routed and dropped of the PVM traffic it received (the reply to {@link PvmCommand.GetCounters}).
 *
 * @param routed messages and notifies delivered to their owners or to the runtime
 * @param dropped messages dropped: forged, malformed, from strangers, late
 * @param droppedByReason the dropped messages by reason (reasons shortened to 60 characters)
 */
public record RuntimeCounters(long routed, long dropped, Map<String, Long> droppedByReason) {
    /**
     * Copies {@code droppedByReason}.
     *
     * @param routed messages and notifies delivered to their owners or to the runtime
     * @param dropped messages dropped: forged, malformed, from strangers, late
     * @param droppedByReason the dropped messages by reason (reasons shortened to 60 characters)
     */
    public RuntimeCounters {
        droppedByReason = Map.copyOf(droppedByReason);
    }
}
