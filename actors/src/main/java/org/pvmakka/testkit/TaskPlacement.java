package org.pvmakka.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Where {@code pvm_spawn} puts tasks, as pvmd's {@code assign_tasks} does: the slots are spread in
 * contiguous runs over {@code min(hosts, count)} of the candidate hosts, taken round robin by host
 * index from the one after the host used last (the first spawn starts after the master host).
 */
final class TaskPlacement {
    private int last = -1;

    /**
     * @param candidates the hosts the spawn may use, by index (not empty)
     * @param count the number of slots
     * @return the host of each slot
     */
    List<SimHost> assign(NavigableMap<Integer, SimHost> candidates, int count, int masterIndex) {
        TreeMap<Integer, SimHost> hosts = new TreeMap<>(candidates);
        int nh = Math.min(hosts.size(), count);
        if (last == -1) {
            last = masterIndex + 1;
        }
        SimHost h = atOrAfter(hosts, last);
        List<SimHost> out = new ArrayList<>(count);
        int a = 0;
        for (int t = 0; t < count; t++) {
            out.add(h);
            if ((a += nh) >= count) {
                a -= count;
                h = atOrAfter(hosts, h.index + 1);
            }
        }
        return out;
    }

    /** The first host with an index at or after {@code index}, wrapping around; remembers it. */
    private SimHost atOrAfter(TreeMap<Integer, SimHost> hosts, int index) {
        Integer k = hosts.ceilingKey(index);
        if (k == null) {
            k = hosts.firstKey();
        }
        last = k;
        return hosts.get(k);
    }
}
