package org.pvmakka.javadsl;

import java.util.List;
import org.pvmakka.task.TaskId;

/**
 * A snapshot of the virtual machine: hosts, this runtime's tasks, slots and free slots.
 *
 * @param hosts every host, responsive or not
 * @param tasks tasks this runtime spawned that are still running
 * @param architectures number of distinct data formats in the VM
 * @param vmTasks every task of the VM as {@code pvm_tasks} lists it (the console's {@code ps}),
 *     other programs' included; hosts found lost are not asked
 */
public record VmStatus(List<HostStatus> hosts, List<TaskStatus> tasks, int architectures, List<VmTask> vmTasks) {
    /**
     * Copies the lists.
     *
     * @param hosts every host, responsive or not
     * @param tasks tasks this runtime spawned that are still running
     * @param architectures number of distinct data formats in the VM
     * @param vmTasks every task of the VM as {@code pvm_tasks} lists it (the console's {@code ps})
     */
    public VmStatus {
        hosts = List.copyOf(hosts);
        tasks = List.copyOf(tasks);
        vmTasks = List.copyOf(vmTasks);
    }

    /** {@return the slots of responsive hosts} */
    public int slots() {
        return hosts.stream().filter(HostStatus::responsive).mapToInt(HostStatus::slots).sum();
    }

    /** {@return the free slots of responsive hosts} */
    public int freeSlots() {
        return hosts.stream().mapToInt(HostStatus::freeSlots).sum();
    }

    /** {@return a table of hosts and tasks like PyOPUS {@code formatSpawnerConfig}} */
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
            sb.append(String.format("  %s on %x: %s (owner %s)%n", t.id(), t.hostDtid(), t.function(), t.owner()));
        }
        if (!vmTasks.isEmpty()) {
            sb.append(String.format("%-10s %-10s %8s %8s %s%n", "task", "parent", "host", "pid", "program"));
            for (VmTask t : vmTasks) {
                sb.append(String.format("%-10s %-10s %8x %8d %s%n", t.id(), t.parentTid() > 0 ? new TaskId(t.parentTid()).toString() : "-",
                        t.hostDtid(), t.pid(), t.name()));
            }
        }
        return sb.toString();
    }
}
