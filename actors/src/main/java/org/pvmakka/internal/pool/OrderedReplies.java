package org.pvmakka.internal.pool;

import akka.actor.typed.ActorRef;
import org.pvmakka.javadsl.pool.JobOutcome;

/** Releases a batch's outcomes to its reply-to in the batch's order, holding those that complete early. */
final class OrderedReplies implements OutcomeSink {
    private final ActorRef<JobOutcome> replyTo;
    private final JobOutcome[] held;
    private int next;

    OrderedReplies(ActorRef<JobOutcome> replyTo, int size) {
        this.replyTo = replyTo;
        this.held = new JobOutcome[size];
    }

    @Override
    public void deliver(int position, JobOutcome outcome) {
        held[position] = outcome;
        while (next < held.length && held[next] != null) {
            replyTo.tell(held[next]);
            held[next++] = null;
        }
    }
}
