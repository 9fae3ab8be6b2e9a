package org.pvmakka.internal.bridge;

import java.util.List;
import org.pvmakka.task.TaskId;

/** What a receive from PVM yields: a message, a decoded notify, or a message refused unread. */
public sealed interface Inbound permits Inbound.Message, Inbound.Notification, Inbound.Refused {

    /** The sender's tid ({@link TaskId#TIDPVMD} for a pvmd). */
    int source();

    /** The message tag. */
    int tag();

    /** A message with its bytes (unpacked as one byte block). */
    final class Message implements Inbound {
        private final int source;
        private final int tag;
        private final byte[] data;

        /** @param data the payload; ownership passes to this object */
        public Message(int source, int tag, byte[] data) {
            this.source = source;
            this.tag = tag;
            this.data = data;
        }

        @Override
        public int source() {
            return source;
        }

        @Override
        public int tag() {
            return tag;
        }

        /** The payload (not copied: do not modify). */
        public byte[] data() {
            return data;
        }

        @Override
        public String toString() {
            return "Message[from " + new TaskId(source) + ", tag " + tag + ", " + data.length + " bytes]";
        }
    }

    /**
     * A {@code pvm_notify} message from a pvmd, its body decoded.
     *
     * @param ids for {@link NotifyKind#TASK_EXIT} the exited tid, for {@link NotifyKind#HOST_DELETE}
     *     the deleted dtid, for {@link NotifyKind#HOST_ADD} the added dtids
     */
    record Notification(int source, int tag, NotifyKind kind, List<Integer> ids) implements Inbound {
        public Notification {
            ids = List.copyOf(ids);
        }
    }

    /**
     * A message that was not unpacked, for example because it is larger than the configured
     * maximum ({@code pvm_bufinfo} is checked before anything is copied).
     */
    record Refused(int source, int tag, int bytes, String reason) implements Inbound {
    }
}
