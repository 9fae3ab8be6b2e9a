package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.task.TaskId;

/**
 * The {@link RuntimeContract} on a real single-host pvmd: worker JVMs, a worker killed with
 * SIGKILL, the PVM console as another program's task.
 */
@ExtendWith(RealPvm.class)
class RuntimeIT extends RuntimeContract {

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("runtime-it", RealPvm.runtimeConfig("pvm-akka.result-grace = 300ms"));
        runtime = PvmAkka.get(kit.system()).runtime();
        TestProbe<StatusReply<Done>> up = kit.createTestProbe();
        runtime.tell(new PvmCommand.WaitForVm(LONG, up.getRef()));
        assertTrue(up.receiveMessage(LONG.plusSeconds(5)).isSuccess(), "the VM came up and was probed");
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Override
    int expectedCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    void killBehindTheRuntimesBack(TaskId task, long pid) {
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    }

    /** The PVM console, enrolled in the same VM; it must survive the test. */
    @Override
    AutoCloseable startAnotherProgramsTask() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/pvm");
        pb.environment().put("PVM_TMP", RealPvm.daemon().pvmTmp().toString());
        pb.environment().put("PVM_ALLOW_ROOT", "1");
        pb.redirectErrorStream(true).redirectOutput(RealPvm.workDir().resolve("console.out").toFile());
        Process console = pb.start();
        return () -> {
            assertTrue(console.isAlive(), "the console was not killed");
            console.destroy();
            console.waitFor();
        };
    }
}
