package org.pvmakka.tests;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.tests.fn.ExitOnce;

/** The {@link PoolContract} on a real single-host pvmd: worker JVMs; a job that calls {@code System.exit}. */
@ExtendWith(RealPvm.class)
class PoolIT extends PoolContract {

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("pool-it", RealPvm.runtimeConfig(""));
        runtime = RuntimeFixture.start(kit).runtime();
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Override
    int slots() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    Class<? extends TaskFunction> dyingOnce() {
        return ExitOnce.class;
    }

    @Override
    void onJobMessage(TaskMessage m) {
    }
}
