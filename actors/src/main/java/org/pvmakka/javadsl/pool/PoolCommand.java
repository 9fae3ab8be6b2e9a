package org.pvmakka.javadsl.pool;

import akka.Done;
import akka.actor.typed.ActorRef;
import java.util.List;

/** A job pool's protocol (see {@link JobPool#behavior}). Every job submitted gets exactly one {@link JobOutcome}. */
public sealed interface PoolCommand {

    /**
     * Run one job; its outcome (or a {@link JobOutcome.Cause#QUEUE_FULL} refusal) goes to {@code replyTo}.
     *
     * @param job the job
     * @param replyTo gets its outcome
     */
    record Submit(Job job, ActorRef<JobOutcome> replyTo) implements PoolCommand {
    }

    /**
     * Run a batch; one outcome per job to {@code replyTo}, in the batch's order when {@code ordered}, else as
     * they complete. A batch that does not fit in the queue is refused whole.
     *
     * @param jobs the batch
     * @param ordered whether outcomes come in the batch's order
     * @param replyTo gets one outcome per job
     */
    record SubmitBatch(List<Job> jobs, boolean ordered, ActorRef<JobOutcome> replyTo) implements PoolCommand {
        /**
         * Copies {@code jobs}.
         *
         * @param jobs the batch
         * @param ordered whether outcomes come in the batch's order
         * @param replyTo gets one outcome per job
         */
        public SubmitBatch {
            jobs = List.copyOf(jobs);
        }
    }

    /**
     * A snapshot of the pool.
     *
     * @param replyTo gets the status
     */
    record GetStatus(ActorRef<PoolStatus> replyTo) implements PoolCommand {
    }

    /**
     * End the pool: queued and running jobs end with {@link JobOutcome.Cause#POOL_SHUT_DOWN}, every worker is
     * killed; {@code replyTo} hears once they have all exited, then the pool stops.
     *
     * @param replyTo told once every worker has exited
     */
    record Shutdown(ActorRef<Done> replyTo) implements PoolCommand {
    }
}
