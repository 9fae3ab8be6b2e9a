package org.pvmakka.tests.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VirtualMachine;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sleeper;

/**
 * The extension on a real pvmd: one runtime per actor system, one libpvm session per JVM (a second is refused at
 * once, saying why), and CoordinatedShutdown kills the runtime's tasks and leaves PVM, so that the next runtime of
 * this JVM can attach again.
 */
@ExtendWith(RealPvm.class)
class ExtensionIT {
    static final Duration LONG = RuntimeFixture.LONG;

    @Test
    void oneRuntimePerSystemOneLibpvmPerJvmAndShutdownKillsItsTasks() throws Exception {
        ActorTestKit first = ActorTestKit.create("first", RealPvm.runtimeConfig(""));
        List<TaskId> sleepers;
        try {
            ActorRef<PvmCommand> runtime = PvmAkka.get(first.system()).runtime();
            assertSame(runtime, PvmAkka.get(first.system()).runtime(), "one runtime per actor system");
            RuntimeFixture f = RuntimeFixture.start(first);
            TestProbe<TaskEvent> owner = first.createTestProbe();
            sleepers = f.spawnOk(SpawnSpec.of(Sleeper.class, 600_000L).withCount(2).withOvercommit(true),
                    owner.getRef()).tasks();

            // a second actor system in this JVM would need a second libpvm session: refused at once, saying why
            ActorTestKit second = ActorTestKit.create("second", RealPvm.runtimeConfig(""));
            try {
                long t0 = System.nanoTime();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> PvmAkka.get(second.system()));
                assertTrue(e.getMessage().contains("reads PVM_TMP once per process"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> VirtualMachine.attach(second.system()));
                assertTrue((System.nanoTime() - t0) / 1e9 < 2, "refused at once");
            } finally {
                second.shutdownTestKit();
            }
            // another PVM_TMP in this JVM: refused too
            ActorTestKit other = ActorTestKit.create("other-tmp", RealPvm.runtimeConfig("pvm-akka.pvm-tmp = \""
                    + RealPvm.workDir().resolve("elsewhere") + "\""));
            try {
                assertThrows(IllegalStateException.class, () -> PvmAkka.get(other.system()));
            } finally {
                other.shutdownTestKit();
            }
        } finally {
            first.shutdownTestKit(); // CoordinatedShutdown: kill this runtime's tasks, leave PVM
        }

        // the session is free again (same PVM_TMP): a new runtime attaches and sees the sleepers gone
        ActorTestKit next = ActorTestKit.create("next", RealPvm.runtimeConfig(""));
        try {
            RuntimeFixture f = RuntimeFixture.start(next);
            long deadline = System.nanoTime() + LONG.toNanos();
            List<Integer> left;
            do {
                VmStatus s = f.status();
                left = s.vmTasks().stream().map(t -> t.tid()).filter(t -> sleepers.stream()
                        .anyMatch(x -> x.tid() == t)).toList();
                if (!left.isEmpty()) {
                    Thread.sleep(100);
                }
            } while (!left.isEmpty() && System.nanoTime() < deadline);
            assertEquals(List.of(), left, "the first runtime's tasks were killed at its shutdown");
            assertTrue(f.status().tasks().isEmpty());
        } finally {
            next.shutdownTestKit();
        }
    }
}
