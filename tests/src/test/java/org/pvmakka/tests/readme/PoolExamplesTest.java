package org.pvmakka.tests.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.JobPool;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolSettings;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;
import org.pvmakka.tests.fn.Square;

/** The three ways into a job pool, as src/docs/pools.md shows them, compiled and run on a simulated VM. */
class PoolExamplesTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void theThreeWaysIn() throws Exception {
        try (SimulatedCluster cluster = new SimulatedCluster(5)) {
            cluster.addHost("master", 2);
            try (SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster)) {
                // 1. the facade
                JobPool pool = JobPool.create(testKit.system(), vm.runtime(), PoolSettings.defaults());
                List<JobOutcome> out = pool.map(Square.class, List.of(1, 2, 3, 4));
                assertEquals(List.of(1, 4, 9, 16), out.stream().map(JobOutcome::get).toList());
                JobOutcome seven = pool.submit(Job.of(Square.class, 7).withKey("seven").withMaxAttempts(2)
                        .withTimeout(Duration.ofSeconds(30))).toCompletableFuture().get();
                assertEquals(49, seven.get());

                // 2. Akka Streams
                long sum = Source.range(0, 999)
                        .map(i -> Job.of(Square.class, i).withIndex(i))
                        .via(pool.flow())
                        .runWith(Sink.fold(0L, (acc, o) -> acc + (Integer) o.get()), testKit.system())
                        .toCompletableFuture().get();
                assertEquals(332_833_500L, sum);
                pool.close();

                // 3. actors
                ActorRef<PoolCommand> actor = testKit.spawn(JobPool.behavior(vm.runtime(), PoolSettings.defaults()));
                TestProbe<JobOutcome> outcomes = testKit.createTestProbe();
                actor.tell(new PoolCommand.SubmitBatch(List.of(Job.of(Square.class, 5).withIndex(0),
                        Job.of(Square.class, 6).withIndex(1)), true, outcomes.getRef()));
                assertEquals(25, outcomes.receiveMessage(Duration.ofSeconds(30)).get());
                assertEquals(36, outcomes.receiveMessage(Duration.ofSeconds(30)).get());
                TestProbe<Done> done = testKit.createTestProbe();
                actor.tell(new PoolCommand.Shutdown(done.getRef()));
                done.receiveMessage(Duration.ofSeconds(30));
            }
        }
    }
}
