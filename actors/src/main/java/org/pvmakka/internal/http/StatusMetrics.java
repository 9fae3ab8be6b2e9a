package org.pvmakka.internal.http;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.pvmakka.javadsl.pool.PoolStatus;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.RuntimeCounters;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.VmStatus;

/**
 * The runtime's figures for {@code GET /metrics}, in a registry of their own (never the JVM-wide default one):
 * gauges read from the latest status snapshot, counters and the spawn latency histogram counted from the events the
 * feed receives (since the status server started). Thread-safe: the feed updates, the HTTP route scrapes.
 */
final class StatusMetrics {

    private final CollectorRegistry registry = new CollectorRegistry();
    private final Counter spawns = Counter.build("pvmakka_spawns", "User spawn requests answered, by outcome")
            .labelNames("outcome").register(registry);
    private final Counter started = Counter.build("pvmakka_tasks_started", "Tasks started").register(registry);
    private final Counter exits = Counter.build("pvmakka_task_exits", "Task exits, by cause").labelNames("cause")
            .register(registry);
    private final Histogram spawnLatency = Histogram.build("pvmakka_spawn_latency_seconds",
                    "User spawn request to reply, in seconds")
            .buckets(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60).register(registry);
    private volatile VmStatus status;
    private volatile RuntimeCounters counters;
    private volatile boolean up;
    private volatile List<PoolTracker.Row> pools = List.of();

    StatusMetrics() {
        for (MsgTaskExit.Cause c : MsgTaskExit.Cause.values()) {
            exits.labels(c.name()).inc(0); // every cause is listed from the start
        }
        spawns.labels("ok").inc(0);
        spawns.labels("failed").inc(0);
        registry.register(new Snapshot());
    }

    void status(VmStatus s, boolean vmUp) {
        if (s != null) {
            status = s;
        }
        up = vmUp;
    }

    void counters(RuntimeCounters c) {
        counters = c;
    }

    void pools(List<PoolTracker.Row> rows) {
        pools = List.copyOf(rows);
    }

    void spawned(SpawnTiming t) {
        spawns.labels(t.started() > 0 ? "ok" : "failed").inc();
        spawnLatency.observe(t.nanos() / 1e9);
    }

    void started() {
        started.inc();
    }

    void exited(MsgTaskExit.Cause cause) {
        exits.labels(cause.name()).inc();
    }

    /** The Prometheus text format, version 0.0.4. */
    String scrape() {
        StringWriter w = new StringWriter();
        try {
            TextFormat.write004(w, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Gauges and the runtime's own counters, read from the latest snapshot at each scrape. */
    private final class Snapshot extends Collector {
        @Override
        public List<MetricFamilySamples> collect() {
            GaugeMetricFamily vm = new GaugeMetricFamily("pvmakka_vm_up", "1 when the last status query succeeded",
                    up ? 1 : 0);
            GaugeMetricFamily hosts = new GaugeMetricFamily("pvmakka_hosts", "Hosts, by state", List.of("state"));
            GaugeMetricFamily tasks = new GaugeMetricFamily("pvmakka_tasks", "Tasks of this runtime, by state",
                    List.of("state"));
            GaugeMetricFamily slots = new GaugeMetricFamily("pvmakka_slots", "Slots of responsive hosts",
                    List.of("kind"));
            VmStatus s = status;
            long responsive = 0;
            long probing = 0;
            long unresponsive = 0;
            if (s != null) {
                for (HostStatus h : s.hosts()) {
                    if (h.responsive()) {
                        responsive++;
                    } else if (h.cores() < 0 && h.problem() == null) {
                        probing++;
                    } else {
                        unresponsive++;
                    }
                }
                slots.addMetric(List.of("total"), s.slots());
                slots.addMetric(List.of("free"), s.freeSlots());
            }
            hosts.addMetric(List.of("responsive"), responsive);
            hosts.addMetric(List.of("probing"), probing);
            hosts.addMetric(List.of("unresponsive"), unresponsive);
            for (TaskStatus.State st : TaskStatus.State.values()) {
                tasks.addMetric(List.of(st.name()), s == null ? 0
                        : s.tasks().stream().filter(t -> t.state() == st).count());
            }
            RuntimeCounters c = counters;
            CounterMetricFamily routed = new CounterMetricFamily("pvmakka_messages_routed",
                    "PVM messages and notifies the runtime routed", c == null ? 0 : c.routed());
            CounterMetricFamily dropped = new CounterMetricFamily("pvmakka_messages_dropped",
                    "PVM messages the runtime dropped, by reason", List.of("reason"));
            if (c != null) {
                for (Map.Entry<String, Long> e : c.droppedByReason().entrySet()) {
                    dropped.addMetric(List.of(e.getKey()), e.getValue());
                }
            }
            GaugeMetricFamily poolUp = new GaugeMetricFamily("pvmakka_pool_up",
                    "1 when the pool answered its last status ask", List.of("pool"));
            GaugeMetricFamily poolWorkers = new GaugeMetricFamily("pvmakka_pool_workers",
                    "A pool's workers, by state (serving, starting)", List.of("pool", "state"));
            GaugeMetricFamily queue = new GaugeMetricFamily("pvmakka_pool_queue_depth", "Jobs waiting for a worker",
                    List.of("pool"));
            GaugeMetricFamily inFlight = new GaugeMetricFamily("pvmakka_pool_jobs_in_flight",
                    "Jobs handed to workers", List.of("pool"));
            CounterMetricFamily jobs = new CounterMetricFamily("pvmakka_pool_jobs",
                    "Jobs that have had their outcome, since the pool started", List.of("pool"));
            CounterMetricFamily outcomes = new CounterMetricFamily("pvmakka_pool_job_outcomes",
                    "Jobs that have had their outcome, by cause, since the pool started", List.of("pool", "cause"));
            for (PoolTracker.Row p : pools) {
                List<String> pool = List.of(p.path());
                poolUp.addMetric(pool, p.answering() ? 1 : 0);
                PoolStatus st = p.status();
                if (st == null) {
                    continue;
                }
                poolWorkers.addMetric(List.of(p.path(), "serving"), st.workers().size());
                poolWorkers.addMetric(List.of(p.path(), "starting"), st.starting());
                queue.addMetric(pool, st.queued());
                inFlight.addMetric(pool, st.inFlight());
                jobs.addMetric(pool, st.completed());
                st.outcomes().forEach((cause, n) -> outcomes.addMetric(List.of(p.path(), cause.name()), n));
            }
            return List.of(vm, hosts, tasks, slots, routed, dropped, poolUp, poolWorkers, queue, inFlight, jobs,
                    outcomes);
        }
    }
}
