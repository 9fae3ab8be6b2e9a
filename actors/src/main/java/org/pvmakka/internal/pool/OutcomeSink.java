package org.pvmakka.internal.pool;

import akka.actor.typed.ActorRef;
import org.pvmakka.javadsl.pool.JobOutcome;

/** Where the outcomes of a submission go: straight to the reply-to, or through an {@link OrderedReplies}. */
interface OutcomeSink {
    /** Delivers the outcome of the submission's job at {@code position}. */
    void deliver(int position, JobOutcome outcome);

    /** Each outcome to {@code replyTo} as it completes. */
    static OutcomeSink direct(ActorRef<JobOutcome> replyTo) {
        return (position, outcome) -> replyTo.tell(outcome);
    }
}
