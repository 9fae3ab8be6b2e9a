package org.pvmakka.internal.actors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.task.HostId;

/**
 * Decides where tasks go: hosts ordered by free slots (most first), each filled before the next;
 * unresponsive and unknown hosts are never used; more tasks than free slots only with overcommit,
 * and then the excess is spread evenly over the usable hosts.
 */
final class SlotPlanner {
    private SlotPlanner() {
    }

    /** So many tasks on one host. */
    record Allocation(HostStatus host, int count) {
    }

    /**
     * @throws IllegalArgumentException naming the problem (unknown host, no responsive host, too
     *     few free slots)
     */
    static List<Allocation> plan(List<HostStatus> hosts, SpawnSpec spec) {
        List<HostStatus> candidates = new ArrayList<>();
        if (spec.targets().isEmpty()) {
            candidates.addAll(hosts);
        } else {
            for (HostId t : spec.targets()) {
                HostStatus h = hosts.stream().filter(x -> matches(x.id(), t)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown target host " + t
                                + " (not in the virtual machine)"));
                if (!candidates.contains(h)) {
                    candidates.add(h);
                }
            }
        }
        List<HostStatus> usable = new ArrayList<>(candidates.stream().filter(HostStatus::responsive).toList());
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no responsive host to spawn on among " + candidates.stream()
                    .map(h -> h.id() + (h.problem() != null ? " (" + h.problem() + ")" : "")).toList());
        }
        usable.sort(Comparator.comparingInt(HostStatus::freeSlots).reversed()
                .thenComparingInt(h -> h.id().dtid()));
        int free = usable.stream().mapToInt(HostStatus::freeSlots).sum();
        int n = spec.count() == null ? free : spec.count();
        if (n == 0) {
            throw new IllegalArgumentException("no free slots on " + usable.size() + " responsive host(s)");
        }
        if (n > free && !spec.overcommit()) {
            throw new IllegalArgumentException(n + " task(s) requested but only " + free
                    + " free slot(s) on the responsive target host(s); allow overcommit to start more");
        }
        Map<HostStatus, Integer> plan = new LinkedHashMap<>();
        int left = n;
        for (HostStatus h : usable) {
            int k = Math.min(h.freeSlots(), left);
            if (k > 0) {
                plan.merge(h, k, Integer::sum);
                left -= k;
            }
        }
        for (int i = 0; left > 0; i = (i + 1) % usable.size(), left--) {
            plan.merge(usable.get(i), 1, Integer::sum);
        }
        List<Allocation> out = new ArrayList<>();
        plan.forEach((h, k) -> out.add(new Allocation(h, k)));
        return out;
    }

    private static boolean matches(HostId have, HostId want) {
        return want.dtid() > 0 ? have.dtid() == want.dtid() : have.name().equals(want.name());
    }
}
