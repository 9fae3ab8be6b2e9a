package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pvmakka.cli.LocalPvmd;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;

/**
 * The VM halted from outside (SIGTERM to the master pvmd, as the console's {@code halt} does it: the pvmd SIGTERMs
 * every enrolled process, this JVM included): the application survives, every owner gets VM_LOST, and the runtime
 * attaches again by itself once a pvmd is back. An ordinary SIGTERM to an application still ends it (exit 143).
 */
class VmHaltIT {
    static final Duration LONG = Duration.ofSeconds(60);

    static Config config(Path dir) {
        return ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + dir + "\"\npvm-akka.allow-root = on\n"
                + "pvm-akka.reattach-interval = 500ms\n"
                + "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]").withFallback(ConfigFactory.load());
    }

    /** An application: a runtime attached to the VM of {@code args[0]}; prints "ready", then waits. */
    public static final class App {
        public static void main(String[] args) throws Exception {
            akka.actor.typed.ActorSystem<Void> system = akka.actor.typed.ActorSystem.create(
                    akka.actor.typed.javadsl.Behaviors.empty(), "app", config(Path.of(args[0])));
            ActorRef<PvmCommand> runtime = PvmAkka.get(system).runtime();
            StatusReply<Done> up = akka.actor.typed.javadsl.AskPattern.<PvmCommand, StatusReply<Done>>ask(runtime,
                    r -> new PvmCommand.WaitForVm(Duration.ofSeconds(30), r), Duration.ofSeconds(40),
                    system.scheduler()).toCompletableFuture().get(45, TimeUnit.SECONDS);
            System.out.println(up.isSuccess() ? "ready" : "not up: " + up.getError().getMessage());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    void theApplicationSurvivesAHaltedVmAndAttachesAgainWhenAPvmdIsBack() throws Exception {
        Path dir = RealPvm.workDir().resolve("halted-pvm");
        LocalPvmd pvmd = LocalPvmd.start(dir, Map.of());
        ActorTestKit kit = ActorTestKit.create("vm-halt", config(dir));
        try {
            ActorRef<PvmCommand> runtime = RuntimeFixture.start(kit).runtime();
            TestProbe<TaskEvent> owner = kit.createTestProbe();
            TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
            runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Sleeper.class, 60_000).withCount(3)
                    .withOvercommit(true), owner.getRef(), sp.getRef()));
            assertEquals(3, sp.receiveMessage(LONG).getValue().tasks().size());

            long t0 = System.nanoTime();
            pvmd.close(); // SIGTERM to the master pvmd: it SIGTERMs its tasks and this JVM, then exits
            for (int i = 0; i < 3; i++) {
                MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(Duration.ofSeconds(10)));
                assertEquals(MsgTaskExit.Cause.VM_LOST, x.cause());
            }
            double toldMs = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(VmHaltGuardWait.MILLIS); // this JVM is still here after the guard's wait

            TestProbe<StatusReply<Done>> up = kit.createTestProbe();
            runtime.tell(new PvmCommand.WaitForVm(Duration.ofMillis(500), up.getRef()));
            StatusReply<Done> down = up.receiveMessage(LONG);
            assertTrue(down.isError() && down.getError().getMessage().contains("not available"), down::toString);

            // a pvmd comes back in the same PVM_TMP: the runtime attaches again by itself
            long t1 = System.nanoTime();
            try (LocalPvmd fresh = LocalPvmd.start(dir, Map.of())) {
                runtime.tell(new PvmCommand.WaitForVm(LONG, up.getRef()));
                assertTrue(up.receiveMessage(LONG.plusSeconds(5)).isSuccess(), "attached again");
                double backMs = (System.nanoTime() - t1) / 1e6;
                runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 7), owner.getRef(),
                        sp.getRef()));
                assertTrue(sp.receiveMessage(LONG).isSuccess());
                assertEquals(49, assertInstanceOf(MsgTaskResult.class, owner.receiveMessage(LONG)).value());
                assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG));
                System.out.printf("VM halted: 3 of 3 owners told VM_LOST after %.0f ms, JVM alive; re-attached %.0f ms"
                        + " after a new pvmd started%n", toldMs, backMs);
                RealPvm.outliveDaemonShutdown(); // the fresh pvmd's stop below would SIGTERM us, test over
            }
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void anOrdinarySigtermStillEndsTheApplication() throws Exception {
        Path dir = RealPvm.workDir().resolve("app-pvm");
        try (LocalPvmd pvmd = LocalPvmd.start(dir, Map.of())) {
            List<String> cmd = new ArrayList<>(List.of(WorkerCommand.currentJava(), "-cp",
                    String.join(File.pathSeparator, WorkerCommand.currentClasspath()), App.class.getName(),
                    dir.toString()));
            Path out = Files.createTempFile(RealPvm.workDir(), "app", ".out");
            Process app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("ready") && app.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(out).contains("ready"), () -> "the application came up: " + read(out));
            long t0 = System.nanoTime();
            app.destroy(); // SIGTERM while its pvmd runs on
            assertTrue(app.waitFor(20, TimeUnit.SECONDS), "an ordinary SIGTERM ends the application");
            double ms = (System.nanoTime() - t0) / 1e6;
            assertEquals(143, app.exitValue(), () -> read(out));
            assertTrue(pvmd.isAlive());
            System.out.printf("ordinary SIGTERM: the application ended after %.0f ms with 143%n", ms);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** How long the guard waits before it hands an ordinary SIGTERM on (plus a margin). */
    static final class VmHaltGuardWait {
        static final long MILLIS = org.pvmakka.internal.bridge.jna.VmHaltGuard.GRACE_MILLIS + 500;
    }
}
