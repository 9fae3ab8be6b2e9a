package org.pvmakka.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.RuntimeCounters;
import org.pvmakka.javadsl.TaskStatus;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.javadsl.pool.PoolStatus;

/**
 * The status snapshot as JSON (schema: {@code src/docs/status-api.md}, version {@link #SCHEMA}), served by
 * {@code GET /api/status} and pushed on {@code GET /events}. Built with Jackson's tree model so that the field names
 * are the documented ones, independent of the Java records.
 */
final class StatusJson {
    /** The schema version; raised when a field changes meaning or goes away (new fields do not raise it). */
    static final int SCHEMA = 1;
    static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {
    }

    /** One line of the time line. */
    record Event(Instant time, String kind, String host, String task, String cause, String detail) {
    }

    /**
     * The snapshot without its {@code time} (so that two snapshots can be compared).
     *
     * @param status the last status read, or null when none was read yet
     * @param error why the last status query failed, or null
     * @param pools the pools shown
     * @param poolsNotShown the pools beyond those shown
     */
    static ObjectNode content(VmStatus status, String error, RuntimeCounters counters, Collection<Event> events,
            List<PoolTracker.Row> pools, int poolsNotShown) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        ObjectNode vm = root.putObject("vm");
        vm.put("up", status != null && error == null);
        vm.put("error", error);
        ArrayNode hosts = root.putArray("hosts");
        ArrayNode tasks = root.putArray("tasks");
        if (status != null) {
            vm.put("architectures", status.architectures());
            vm.put("slots", status.slots());
            vm.put("freeSlots", status.freeSlots());
            Map<Integer, String> names = new HashMap<>();
            for (HostStatus h : status.hosts()) {
                names.put(h.id().dtid(), h.id().name());
                ObjectNode o = hosts.addObject();
                o.put("name", h.id().name());
                o.put("dtid", Integer.toHexString(h.id().dtid()));
                o.put("arch", h.arch());
                o.put("speed", h.speed());
                if (h.cores() >= 0) {
                    o.put("cores", h.cores());
                } else {
                    o.putNull("cores");
                }
                o.put("tasks", h.tasks());
                o.put("slots", h.slots());
                o.put("slotsUsed", Math.min(h.tasks(), h.slots()));
                o.put("slotsFree", h.freeSlots());
                o.put("state", h.responsive() ? "responsive" : h.cores() < 0 && h.problem() == null ? "probing"
                        : "lost");
                o.put("problem", h.problem());
                if (h.lastHeartbeat() != null) {
                    o.put("lastHeartbeat", h.lastHeartbeat().toString());
                    o.put("heartbeatAgeMillis", Math.max(0, java.time.Duration.between(h.lastHeartbeat(),
                            java.time.Instant.now()).toMillis()));
                } else {
                    o.putNull("lastHeartbeat");
                    o.putNull("heartbeatAgeMillis");
                }
            }
            for (TaskStatus t : status.tasks()) {
                ObjectNode o = tasks.addObject();
                o.put("id", t.id().toString());
                o.put("function", t.function());
                o.put("host", Integer.toHexString(t.hostDtid()));
                o.put("hostName", names.get(t.hostDtid()));
                o.put("owner", t.owner());
                o.put("state", t.state().name());
                o.put("started", t.started() == null ? null : t.started().toString());
            }
        }
        ObjectNode c = root.putObject("counters");
        if (counters != null) {
            c.put("routed", counters.routed());
            c.put("dropped", counters.dropped());
            ObjectNode by = c.putObject("droppedByReason");
            counters.droppedByReason().forEach(by::put);
        }
        ArrayNode ps = root.putArray("pools");
        for (PoolTracker.Row p : pools) {
            ObjectNode o = ps.addObject();
            o.put("name", p.name());
            o.put("path", p.path());
            o.put("answering", p.answering());
            o.put("error", p.error());
            PoolStatus st = p.status();
            if (st == null) {
                continue; // never answered: only its name and why
            }
            o.put("serving", st.workers().size());
            o.put("starting", st.starting());
            o.put("queued", st.queued());
            o.put("inFlight", st.inFlight());
            o.put("completed", st.completed());
            if (p.jobsPerSecond() != null) {
                o.put("jobsPerSecond", Math.round(p.jobsPerSecond() * 10) / 10.0);
            } else {
                o.putNull("jobsPerSecond");
            }
            ObjectNode by = o.putObject("outcomes");
            st.outcomes().forEach((cause, n) -> by.put(cause.name(), n));
        }
        root.put("poolsNotShown", poolsNotShown);
        ArrayNode ev = root.putArray("events");
        for (Event e : events) {
            ObjectNode o = ev.addObject();
            o.put("time", e.time().toString());
            o.put("kind", e.kind());
            o.put("host", e.host());
            o.put("task", e.task());
            o.put("cause", e.cause());
            o.put("detail", e.detail());
        }
        return root;
    }

    /** The snapshot taken at {@code now}: {@code content} with its {@code time} first. */
    static String stamped(ObjectNode content, Instant now) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("time", now.toString());
        root.setAll(content);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the status snapshot cannot be written as JSON", e);
        }
    }
}
