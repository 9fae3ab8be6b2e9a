package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.internal.worker.FunctionLauncher;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.tests.fn.Square;

/**
 * Measures spawn-to-result for 1 and 16 worker JVMs on the real pvmd and prints the figures (a
 * measurement, not a timed assertion: it only checks that every result arrived).
 */
@ExtendWith(RealPvm.class)
class SpawnTimingIT {
    @Test
    void spawnToResultForOneAndSixteenWorkers() {
        JnaPvm pvm = RealPvm.pvm();
        WireSettings wire = WireSettings.defaults();
        WireCodec codec = new WireCodec(wire);
        FunctionLauncher launcher = new FunctionLauncher(pvm, codec, wire, WorkerCommand.forCurrentJvm());
        run(pvm, codec, launcher, 1); // warm-up (page cache, CDS archive)
        StringBuilder report = new StringBuilder("spawn-to-result, worker JVM " + WorkerCommand.DEFAULT_JVM_OPTIONS + ":\n");
        for (int n : new int[] {1, 1, 1, 16, 16}) {
            double ms = run(pvm, codec, launcher, n);
            report.append(String.format("  %2d worker(s): %7.1f ms until every result was back%n", n, ms));
        }
        System.out.print(report);
        System.err.print(report);
    }

    private static double run(JnaPvm pvm, WireCodec codec, FunctionLauncher launcher, int n) {
        long t0 = System.nanoTime();
        List<SpawnResult> r = launcher.spawn(new SpawnRequest(Square.class.getName(), List.of(5), true), 0, null, n);
        Set<Integer> pending = new HashSet<>();
        r.forEach(s -> {
            assertTrue(s.started(), s::toString);
            pending.add(s.tid());
        });
        Set<Integer> exits = new HashSet<>(pending);
        double ms = 0;
        while (!pending.isEmpty() || !exits.isEmpty()) {
            Optional<Inbound> in = pvm.receive(Pvm.ANY, Pvm.ANY, 60);
            assertTrue(in.isPresent(), "no result within 60 s");
            if (in.get() instanceof Inbound.Message m && m.tag() == WireTags.RESULT) {
                WireResult res = codec.decode(m.data(), WireResult.class);
                assertEquals(25, res.value());
                assertTrue(pending.remove(m.source()));
                if (pending.isEmpty()) {
                    ms = (System.nanoTime() - t0) / 1e6;
                }
            } else if (in.get() instanceof Inbound.Notification note) {
                exits.removeAll(note.ids());
            }
        }
        return ms;
    }
}
