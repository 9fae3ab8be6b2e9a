package org.pvmakka.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.codec.WireCodec;

class WorkerCommandArgvTest {
    @Test
    void exitOnOutOfMemoryComesAfterTheUsersOptionsSoThatNoneTurnsItOff() {
        WorkerCommand c = WorkerCommand.forCurrentJvm().withJvmOptions(List.of("-Xmx32m", "-XX:-ExitOnOutOfMemoryError"));
        List<String> argv = c.argv(WireCodec.defaults(), List.of());
        assertEquals(argv.indexOf("-XX:-ExitOnOutOfMemoryError") + 1, argv.indexOf(WorkerCommand.EXIT_ON_OOM), argv::toString);
        assertTrue(argv.indexOf(WorkerCommand.EXIT_ON_OOM) < argv.indexOf(WorkerMain.class.getName()));
        assertEquals(WorkerCommand.EXIT_ON_OOM, WorkerCommand.forCurrentJvm().withJvmOptions(List.of())
                .argv(WireCodec.defaults(), List.of()).get(0));
    }
}
