package org.pvmakka.internal.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.task.HostId;

class SlotPlannerTest {
    static HostStatus host(int dtid, String name, int cores, int tasks, boolean responsive) {
        return new HostStatus(new HostId(dtid, name), "LINUX64", 1000, cores, tasks, responsive);
    }

    static final HostStatus A = host(0x40000, "a", 4, 1, true);   // 3 free
    static final HostStatus B = host(0x80000, "b", 8, 2, true);   // 6 free
    static final HostStatus C = host(0xc0000, "c", 16, 0, false); // unresponsive
    static final List<HostStatus> HOSTS = List.of(A, B, C);

    static Map<String, Integer> plan(SpawnSpec spec) {
        return SlotPlanner.plan(HOSTS, spec).stream()
                .collect(Collectors.toMap(a -> a.host().id().name(), SlotPlanner.Allocation::count));
    }

    static SpawnSpec spec(Integer count) {
        return new SpawnSpec("x.F", List.of(), count, List.of(), true, false);
    }

    @Test
    void mostFreeHostIsFilledFirstThenTheNext() {
        assertEquals(Map.of("b", 5), plan(spec(5)));
        assertEquals(Map.of("b", 6, "a", 2), plan(spec(8)));
        assertEquals("b", SlotPlanner.plan(HOSTS, spec(7)).get(0).host().id().name());
    }

    @Test
    void noCountFillsEveryFreeSlotAndSkipsUnresponsiveHosts() {
        assertEquals(Map.of("b", 6, "a", 3), plan(spec(null)));
    }

    @Test
    void moreThanFreeIsRefusedWithoutOvercommitAndSpreadEvenlyWithIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan(spec(10)));
        assertTrue(e.getMessage().contains("10 task(s) requested but only 9 free slot(s)"), e.getMessage());
        assertEquals(Map.of("b", 8, "a", 5), plan(spec(13).withOvercommit(true)));
    }

    @Test
    void targetsRestrictAndUnknownOrUnresponsiveTargetsAreNamed() {
        assertEquals(Map.of("a", 2), plan(spec(2).withTargets(List.of(new HostId(0x40000, "a")))));
        assertEquals(Map.of("a", 1), plan(spec(1).withTargets(List.of(new HostId(-1, "a")))));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> plan(spec(1).withTargets(List.of(new HostId(0x100000, "zz")))));
        assertTrue(unknown.getMessage().contains("unknown target host 100000(zz)"), unknown.getMessage());
        IllegalArgumentException dead = assertThrows(IllegalArgumentException.class,
                () -> plan(spec(1).withTargets(List.of(new HostId(0xc0000, "c")))));
        assertTrue(dead.getMessage().contains("no responsive host"), dead.getMessage());
    }

    @Test
    void noFreeSlotsAtAllIsAnError() {
        List<HostStatus> full = List.of(host(0x40000, "a", 2, 2, true));
        assertThrows(IllegalArgumentException.class, () -> SlotPlanner.plan(full, spec(null)));
        assertEquals(1, SlotPlanner.plan(full, spec(1).withOvercommit(true)).get(0).count());
    }

    @Test
    void badSpecsAreRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> spec(0));
        assertThrows(IllegalArgumentException.class, () -> spec(-3));
        assertThrows(IllegalArgumentException.class, () -> new SpawnSpec(" ", List.of(), 1, List.of(), true, false));
        assertThrows(IllegalArgumentException.class, () -> SpawnSpec.of(null));
    }
}
