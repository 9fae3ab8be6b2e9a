package org.pvmakka.internal.http;

import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolStatus;

/**
 * The pools the status feed shows: the first {@link #MAX_POOLS} of those the Receptionist lists (by path), each with
 * its last status, whether its last ask was answered, and its jobs per second computed from successive completed
 * counts (over at least {@link #RATE_WINDOW}). Not thread-safe: the feed's actor owns it.
 */
final class PoolTracker {
    /** Pools shown at most; the others are only counted. */
    static final int MAX_POOLS = 64;
    /** The shortest time between the two reads a rate is computed from. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(1);

    /** One pool as shown. */
    record Row(String path, String name, boolean answering, String error, PoolStatus status, Double jobsPerSecond) {
    }

    private static final class View {
        final ActorRef<PoolCommand> ref;
        boolean asking;
        boolean read;
        boolean answering;
        String error;
        PoolStatus status;
        long baseCompleted = -1;
        long baseNanos;
        Double rate;

        View(ActorRef<PoolCommand> ref) {
            this.ref = ref;
        }
    }

    /** By path, so that rows come in a stable order. */
    private final Map<String, View> views = new TreeMap<>();
    private int notShown;

    /** Takes the Receptionist's listing: pools no longer listed go, new ones are shown once they are read. */
    void listed(Set<ActorRef<PoolCommand>> all) {
        List<ActorRef<PoolCommand>> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(PoolTracker::path));
        List<ActorRef<PoolCommand>> shown = sorted.subList(0, Math.min(MAX_POOLS, sorted.size()));
        notShown = sorted.size() - shown.size();
        Set<String> keep = new HashSet<>();
        for (ActorRef<PoolCommand> r : shown) {
            keep.add(path(r));
            // a new pool under a stopped one's name gets a new view
            views.compute(path(r), (k, v) -> v != null && v.ref.equals(r) ? v : new View(r));
        }
        views.keySet().retainAll(keep);
    }

    /** {@return the pools to ask now (those not being asked already), marked as being asked} */
    List<ActorRef<PoolCommand>> toAsk() {
        List<ActorRef<PoolCommand>> out = new ArrayList<>();
        for (View v : views.values()) {
            if (!v.asking) {
                v.asking = true;
                out.add(v.ref);
            }
        }
        return out;
    }

    /** {@return whether an ask is still out} */
    boolean anyAsking() {
        return views.values().stream().anyMatch(v -> v.asking);
    }

    /** {@code ref} answered {@code s} at {@code nanos} ({@link System#nanoTime()}). */
    void read(ActorRef<PoolCommand> ref, PoolStatus s, long nanos) {
        View v = views.get(path(ref));
        if (v == null || !v.ref.equals(ref)) {
            return;
        }
        v.asking = false;
        v.read = true;
        v.answering = true;
        v.error = null;
        v.status = s;
        if (v.baseCompleted < 0 || s.completed() < v.baseCompleted) {
            v.baseCompleted = s.completed();
            v.baseNanos = nanos;
        } else if (nanos - v.baseNanos >= RATE_WINDOW.toNanos()) {
            v.rate = (s.completed() - v.baseCompleted) * 1e9 / (nanos - v.baseNanos);
            v.baseCompleted = s.completed();
            v.baseNanos = nanos;
        }
    }

    /** {@code ref} did not answer: it is shown as not answering, with its last status. */
    void failed(ActorRef<PoolCommand> ref, String why) {
        View v = views.get(path(ref));
        if (v == null || !v.ref.equals(ref)) {
            return;
        }
        v.asking = false;
        v.read = true;
        v.answering = false;
        v.error = why;
    }

    /** {@return the pools read at least once, by path} */
    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (View v : views.values()) {
            if (v.read) {
                rows.add(new Row(path(v.ref), v.ref.path().name(), v.answering, v.error, v.status, v.rate));
            }
        }
        return rows;
    }

    /** {@return the listed pools beyond {@link #MAX_POOLS}} */
    int notShown() {
        return notShown;
    }

    static String path(ActorRef<?> ref) {
        return ref.path().toStringWithoutAddress();
    }
}
