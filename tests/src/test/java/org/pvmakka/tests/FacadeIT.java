package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.VirtualMachine;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.Echo;
import org.pvmakka.tests.fn.Point;
import org.pvmakka.tests.fn.Square;

/** The blocking facade, for code that is not an actor, on a real pvmd. */
@ExtendWith(RealPvm.class)
class FacadeIT {
    static VirtualMachine vm;

    @BeforeAll
    static void start() throws Exception {
        vm = VirtualMachine.create(RealPvm.runtimeConfig(""));
        assertTrue(vm.waitForVm(Duration.ofSeconds(60)).toCompletableFuture().get(70, TimeUnit.SECONDS));
    }

    @AfterAll
    static void stop() {
        vm.close();
    }

    static <T> T get(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Its own actor system ticks every 100 ms, so that an idle runtime stays cheap. */
    @Test
    void theFacadesOwnSystemTicksCoarsely() {
        assertEquals(Duration.ofMillis(100), vm.system().settings().config().getDuration("akka.scheduler.tick-duration"));
    }

    @Test
    void spawnAndReceiveResultThenExitWithPyopusTimeouts() throws Exception {
        TaskId t = get(vm.spawnFunction(SpawnSpec.of(Square.class, 9))).tasks().get(0);
        TaskMessage first = vm.receiveMessage(60).orElseThrow();
        assertEquals(t, first.sender());
        MsgTaskResult r = assertInstanceOf(MsgTaskResult.class, first.message());
        assertEquals(81, r.value());
        TaskMessage second = vm.receiveMessage(-1).orElseThrow();
        assertEquals(MsgTaskExit.Cause.EXITED, assertInstanceOf(MsgTaskExit.class, second.message()).cause());
        assertEquals(Optional.empty(), vm.receiveMessage(0), "poll: nothing waiting");
        long t0 = System.nanoTime();
        assertEquals(Optional.empty(), vm.receiveMessage(0.3), "timed wait: nothing arrives");
        assertTrue(System.nanoTime() - t0 >= 250_000_000L);
    }

    @Test
    void messagesStatusAliveAndErrors() throws Exception {
        assertTrue(get(vm.alive()));
        VmStatus s = get(vm.status());
        assertEquals(1, s.hosts().size());
        TaskId echo = get(vm.spawnFunction(SpawnSpec.of(Echo.class))).tasks().get(0);
        get(vm.sendMessage(echo, new Point(1, 2, "a")));
        TaskMessage m = vm.receiveMessage(60).orElseThrow();
        assertEquals(echo, m.sender());
        assertEquals(new Point(1, 2, "a"), m.message());
        assertEquals(1, get(vm.killAll()));
        TaskMessage exit = vm.receiveMessage(60).orElseThrow();
        assertEquals(MsgTaskExit.Cause.KILLED, assertInstanceOf(MsgTaskExit.class, exit.message()).cause());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> get(vm.sendMessage(echo, new Point(0, 0, "late"))));
        assertTrue(e.getCause().getMessage().contains("PvmNoTask"), e.getCause().getMessage());
        ExecutionException unreg = assertThrows(ExecutionException.class,
                () -> get(vm.spawnFunction(SpawnSpec.of(Square.class, new Object()))));
        assertTrue(unreg.getCause().getMessage().contains("java.lang.Object is not registered"),
                unreg.getCause().getMessage());
    }
}
