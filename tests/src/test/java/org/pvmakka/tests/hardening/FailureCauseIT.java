package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.PrintThenHalt;
import org.pvmakka.tests.fn.Square;

/**
 * A worker that cannot start, or dies without its result, tells the caller why on a real pvmd: in
 * the host's probe problem ({@link HostStatus#problem()}, {@link HostEvent.MsgHostResponsive}), in
 * the spawn's error and in the task's exit, never only in the pvmd's log. One runtime per test, in
 * turn, on this class's pvmd.
 */
@ExtendWith(RealPvm.class)
class FailureCauseIT {
    static final Duration LONG = RuntimeFixture.LONG;

    static ActorTestKit kit(String name, String extra) {
        return ActorTestKit.create(name, RealPvm.runtimeConfig("pvm-akka.worker.startup-cache = off\n" + extra));
    }

    /** The problem of the VM's only host (this machine's), and the runtime's answer to a spawn. */
    static String[] probeProblemAndSpawnError(ActorTestKit kit) {
        TestProbe<HostEvent> hosts = kit.createTestProbe();
        var runtime = PvmAkka.get(kit.system()).runtime();
        runtime.tell(new PvmCommand.SubscribeHostEvents(hosts.getRef()));
        RuntimeFixture f = RuntimeFixture.start(kit);
        HostStatus h = f.status().hosts().get(0);
        assertFalse(h.responsive(), h::toString);
        HostEvent e;
        do {
            e = hosts.receiveMessage(LONG);
        } while (!(e instanceof HostEvent.MsgHostResponsive));
        HostEvent.MsgHostResponsive ev = (HostEvent.MsgHostResponsive) e;
        assertFalse(ev.responsive());
        assertEquals(h.problem(), ev.problem(), "the event says what the status says");
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        StatusReply<Spawned> r = f.spawn(SpawnSpec.of(Square.class, 2), owner.getRef());
        assertTrue(r.isError(), r::toString);
        return new String[] {h.problem(), r.getError().getMessage()};
    }

    @Test
    void aWorkerJavaThatDoesNotExistIsNamedInTheProbeProblemAndTheSpawnError() {
        ActorTestKit kit = kit("no-java", "pvm-akka.worker.java = \"/no/such/dir/bin/java\"");
        try {
            String[] got = probeProblemAndSpawnError(kit);
            for (String s : got) {
                assertTrue(s.contains("/no/such/dir/bin/java does not exist or is not executable on host"), s);
            }
            System.out.println("missing worker java, spawn error: " + got[1]);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aWorkerJvmThatFailsAtStartSaysWhyInTheProbeProblemAndTheSpawnError() {
        ActorTestKit kit = kit("bad-jvm-option", "pvm-akka.worker.jvm-options = [\"-XX:+NoSuchOption\"]");
        try {
            String[] got = probeProblemAndSpawnError(kit);
            for (String s : got) {
                assertTrue(s.contains("the reporter task ended (NO_RESULT"), s);
                assertTrue(s.contains("Unrecognized VM option 'NoSuchOption'"), s); // the JVM's own words
            }
            System.out.println("bad JVM option, spawn error: " + got[1]);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aTaskThatHaltsWithoutItsResultEndsNoResultWithItsLastOutput() {
        ActorTestKit kit = kit("halt", "");
        try {
            RuntimeFixture f = RuntimeFixture.start(kit);
            TestProbe<TaskEvent> owner = kit.createTestProbe();
            f.spawnOk(SpawnSpec.of(PrintThenHalt.class, 30), owner.getRef());
            MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(LONG));
            assertEquals(MsgTaskExit.Cause.NO_RESULT, x.cause());
            String d = x.detail();
            assertTrue(d.contains("progress line 30 of 30"), d);
            assertTrue(d.contains("about to halt with 3"), d);
            assertFalse(d.contains("progress line 5 of 30\n"), "bounded to the last lines: " + d);
            assertTrue(d.contains("does not report its exit code"), d);
            System.out.println("halted task's exit detail: " + d);
            owner.expectNoMessage(Duration.ofMillis(300));
            assertTrue(f.status().hosts().get(0).responsive(), "the host stays responsive");
        } finally {
            kit.shutdownTestKit();
        }
    }
}
