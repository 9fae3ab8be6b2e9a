package org.pvmakka.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.internal.bridge.NotifyKind;

/**
 * The {@code pvm_notify} registrations of a {@link SimulatedCluster}, as the pvmd's wait list
 * holds them: each TaskExit and HostDelete registration fires once; HostAdd stays registered (one
 * per watcher and tag, as {@code tm_notify} updates an existing one). When several fire at once
 * (a host fails with tasks on it) they fire in the order they were registered, as pvmd walks its
 * wait list. Guarded by the cluster's lock.
 */
final class NotifyTable {

    /**
     * One registration.
     *
     * @param body the id the notify message carries: the tid or dtid as registered
     */
    record Registration(long seq, NotifyKind kind, int watcher, int tag, int body) {
    }

    private static final Comparator<Registration> BY_SEQ = Comparator.comparingLong(Registration::seq);

    private long nextSeq;
    private final Map<Integer, List<Registration>> taskExit = new HashMap<>();
    private final Map<Integer, List<Registration>> hostDelete = new HashMap<>();
    private final Map<Long, Registration> hostAdd = new LinkedHashMap<>();

    void watchTaskExit(int watcher, int tag, int tid) {
        taskExit.computeIfAbsent(tid, t -> new ArrayList<>())
                .add(new Registration(nextSeq++, NotifyKind.TASK_EXIT, watcher, tag, tid));
    }

    void watchHostDelete(int watcher, int tag, int dtid, int body) {
        hostDelete.computeIfAbsent(dtid, t -> new ArrayList<>())
                .add(new Registration(nextSeq++, NotifyKind.HOST_DELETE, watcher, tag, body));
    }

    void watchHostAdd(int watcher, int tag) {
        hostAdd.putIfAbsent(((long) watcher << 32) | (tag & 0xffffffffL),
                new Registration(nextSeq++, NotifyKind.HOST_ADD, watcher, tag, 0));
    }

    /** Removes and returns the TaskExit registrations of a task that ended, in registration order. */
    List<Registration> taskEnded(int tid) {
        List<Registration> r = taskExit.remove(tid);
        return r == null ? List.of() : r;
    }

    /**
     * Removes and returns, in registration order, the HostDelete registrations of a host that left
     * and the TaskExit registrations of the tasks that ended with it.
     */
    List<Registration> hostDeleted(int dtid, Collection<Integer> tasksOnHost) {
        List<Registration> out = new ArrayList<>(hostDelete.getOrDefault(dtid, List.of()));
        hostDelete.remove(dtid);
        for (int tid : tasksOnHost) {
            out.addAll(taskEnded(tid));
        }
        out.sort(BY_SEQ);
        return out;
    }

    /** The HostAdd registrations, in registration order. */
    List<Registration> hostAddWatchers() {
        return List.copyOf(hostAdd.values());
    }

    /** Drops the registrations a task made: it ended, nothing could reach it. */
    void forgetWatcher(int tid) {
        taskExit.values().forEach(l -> l.removeIf(r -> r.watcher() == tid));
        taskExit.values().removeIf(List::isEmpty);
        hostDelete.values().forEach(l -> l.removeIf(r -> r.watcher() == tid));
        hostDelete.values().removeIf(List::isEmpty);
        hostAdd.values().removeIf(r -> r.watcher() == tid);
    }

    void clear() {
        taskExit.clear();
        hostDelete.clear();
        hostAdd.clear();
    }
}
