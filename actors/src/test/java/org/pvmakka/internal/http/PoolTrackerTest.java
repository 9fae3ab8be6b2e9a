package org.pvmakka.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolStatus;

/** {@link PoolTracker}: jobs per second from successive reads, bounded listing, one ask at a time, silent pools. */
class PoolTrackerTest {
    private static final long S = 1_000_000_000L;
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("pool-tracker-test");
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static PoolStatus done(long completed) {
        return new PoolStatus(List.of(), 0, 0, 0, completed, Map.of(JobOutcome.Cause.RAN, completed));
    }

    @Test
    void jobsPerSecondComeFromReadsAtLeastASecondApart() {
        ActorRef<PoolCommand> a = kit.<PoolCommand>createTestProbe("a").getRef();
        PoolTracker t = new PoolTracker();
        t.listed(Set.of(a));
        assertTrue(t.rows().isEmpty(), "not shown before it is read");
        assertEquals(List.of(a), t.toAsk());
        assertEquals(List.of(), t.toAsk(), "one ask at a time");
        t.read(a, done(10), 0);
        assertNull(t.rows().get(0).jobsPerSecond(), "no rate from one read");
        t.read(a, done(15), S / 2);
        assertNull(t.rows().get(0).jobsPerSecond(), "no rate over less than a second");
        t.read(a, done(60), 2 * S);
        assertEquals(25.0, t.rows().get(0).jobsPerSecond(), 1e-9);
        t.read(a, done(60), 4 * S);
        assertEquals(0.0, t.rows().get(0).jobsPerSecond(), 1e-9);
        t.failed(a, "no answer within 1000 ms");
        PoolTracker.Row r = t.rows().get(0);
        assertFalse(r.answering());
        assertEquals(60, r.status().completed(), "the last status is kept");
        assertEquals("no answer within 1000 ms", r.error());
        t.listed(Set.of());
        assertTrue(t.rows().isEmpty());
    }

    @Test
    void atMostMaxPoolsAreShownByPath() {
        java.util.Set<ActorRef<PoolCommand>> all = new java.util.HashSet<>();
        for (int i = 0; i < PoolTracker.MAX_POOLS + 3; i++) {
            all.add(kit.<PoolCommand>createTestProbe(String.format("p%03d", i)).getRef());
        }
        PoolTracker t = new PoolTracker();
        t.listed(all);
        assertEquals(3, t.notShown());
        List<ActorRef<PoolCommand>> asked = t.toAsk();
        assertEquals(PoolTracker.MAX_POOLS, asked.size());
        asked.forEach(r -> t.read(r, done(0), 0));
        List<PoolTracker.Row> rows = t.rows();
        assertEquals(PoolTracker.MAX_POOLS, rows.size());
        assertTrue(rows.get(0).path().contains("p000"), rows.get(0).path());
        assertTrue(rows.stream().noneMatch(r -> r.path().contains("p064")), "the last by path are not shown");
    }
}
