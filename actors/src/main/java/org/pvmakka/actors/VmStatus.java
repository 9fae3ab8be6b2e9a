package org.pvmakka.actors;

import java.util.List;

/**
 * A snapshot of the virtual machine: hosts, this runtime's tasks, slots and free slots.
 *
 * @param hosts every host, responsive or not
 * @param tasks tasks this runtime spawned that are still running
 * @param architectures number of distinct data formats in the VM
 */
public record VmStatus(List<HostStatus> hosts, List<TaskStatus> tasks, int architectures) {
    public VmStatus {
        hosts = List.copyOf(hosts);
        tasks = List.copyOf(tasks);
    }

    /** Slots of responsive hosts. */
    public int slots() {
        return hosts.stream().filter(HostStatus::responsive).mapToInt(HostStatus::slots).sum();
    }

    /** Free slots of responsive hosts. */
    public int freeSlots() {
        return hosts.stream().mapToInt(HostStatus::freeSlots).sum();
    }

    /** A table like PyOPUS {@code formatSpawnerConfig}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-20s %8s %-10s %6s %5s %5s %5s %s%n", "host", "dtid", "arch", "speed", "cores", "tasks",
                "free", "responsive"));
        for (HostStatus h : hosts) {
            sb.append(String.format("%-20s %8x %-10s %6d %5s %5d %5d %s%n", h.id().name(), h.id().dtid(), h.arch(),
                    h.speed(), h.cores() < 0 ? "?" : String.valueOf(h.cores()), h.tasks(), h.freeSlots(),
                    h.responsive() ? "yes" : "no"));
        }
        sb.append(String.format("%d host(s), %d architecture(s), %d slot(s), %d free, %d task(s) of this runtime%n",
                hosts.size(), architectures, slots(), freeSlots(), tasks.size()));
        for (TaskStatus t : tasks) {
            sb.append(String.format("  %s on %x: %s%n", t.id(), t.hostDtid(), t.function()));
        }
        return sb.toString();
    }
}
