package org.pvmakka.internal.pool;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.pvmakka.javadsl.pool.JobOutcome;

/** Completes a future with a batch's outcomes, in the batch's order, once all of them are in. */
final class FutureReplies implements OutcomeSink {
    private final CompletableFuture<List<JobOutcome>> result;
    private final JobOutcome[] outcomes;
    private int missing;

    FutureReplies(CompletableFuture<List<JobOutcome>> result, int size) {
        this.result = result;
        this.outcomes = new JobOutcome[size];
        this.missing = size;
        if (size == 0) {
            result.complete(List.of());
        }
    }

    @Override
    public void deliver(int position, JobOutcome outcome) {
        if (outcomes[position] == null) {
            outcomes[position] = outcome;
            if (--missing == 0) {
                result.complete(Arrays.asList(outcomes));
            }
        }
    }
}
