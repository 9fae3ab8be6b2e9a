package org.pvmakka.tests.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.Square;

/** The runtime under each fault the simulator injects, as a user's test would provoke them. */
class FaultInjectionTest {
    static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
            "pvm-akka.core-counter.reprobe-interval = 200ms").withFallback(ConfigFactory.load()));
    static final Duration WAIT = Duration.ofSeconds(10);

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    static StatusReply<Spawned> spawn(SimulatedVm vm, SpawnSpec spec, TestProbe<TaskEvent> owner) {
        TestProbe<StatusReply<Spawned>> reply = testKit.createTestProbe();
        vm.runtime().tell(new PvmCommand.SpawnFunction(spec, owner.getRef(), reply.getRef()));
        return reply.receiveMessage(WAIT);
    }

    /** Subscribes to host events; returns once the subscription is in place (a status round trip follows it). */
    static TestProbe<HostEvent> subscribe(SimulatedVm vm) {
        TestProbe<HostEvent> events = testKit.createTestProbe();
        vm.runtime().tell(new PvmCommand.SubscribeHostEvents(events.getRef()));
        vm.status();
        return events;
    }

    static HostStatus host(VmStatus s, String name) {
        return s.hosts().stream().filter(h -> h.id().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aHostAddedLaterIsAnnouncedProbedAndUsed() {
        try (SimulatedCluster cluster = new SimulatedCluster(1); SimulatedVm vm = startOn(cluster, "master", 1)) {
            TestProbe<HostEvent> events = subscribe(vm);
            HostId late = cluster.addHost("late", 3);
            assertEquals(new HostEvent.MsgHostAdd(late), events.expectMessageClass(HostEvent.MsgHostAdd.class, WAIT));
            assertEquals(new HostEvent.MsgHostResponsive(late, true, 3),
                    events.expectMessageClass(HostEvent.MsgHostResponsive.class, WAIT));
            TestProbe<TaskEvent> owner = testKit.createTestProbe();
            List<TaskId> tasks = spawn(vm, SpawnSpec.of(Square.class, 2).fillFreeSlots(), owner).getValue().tasks();
            assertEquals(4, tasks.size());
            assertEquals(3, tasks.stream().filter(t -> t.hostDtid() == late.dtid()).count(), "the most free slots first");
        }
    }

    @Test
    void aSpawnSentAsTheRuntimeStartsIsServedOnceTheHostsAreProbed() {
        try (SimulatedCluster cluster = new SimulatedCluster(5)) {
            cluster.addHost("master", 1);
            HostId node1 = cluster.addHost("node1", 2);
            PvmSettings settings = PvmSettings.create(testKit.system().settings().config());
            ActorRef<PvmCommand> runtime = testKit.spawn(PvmRuntime.create(settings, cluster::attach, null));
            TestProbe<TaskEvent> owner = testKit.createTestProbe();
            TestProbe<StatusReply<Spawned>> reply = testKit.createTestProbe();
            // before the VM was read: the spawn waits for the probes, which must not wait for the spawn
            // (overcommit: a reporter task may still hold its slot for a moment after it answered)
            runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 2).withCount(3).withOvercommit(true),
                    owner.getRef(), reply.getRef()));
            StatusReply<Spawned> r = reply.receiveMessage(WAIT);
            assertTrue(r.isSuccess(), r::toString);
            assertEquals(3, r.getValue().tasks().size());
            assertTrue(r.getValue().tasks().stream().anyMatch(t -> t.hostDtid() == node1.dtid()), "both hosts probed");
            testKit.stop(runtime);
        }
    }

    @Test
    void anUnresponsiveHostIsNotUsedUntilItAnswersAgain() {
        try (SimulatedCluster cluster = new SimulatedCluster(2)) {
            cluster.addHost("master", 1);
            HostId node1 = cluster.addHost("node1", 2);
            cluster.setUnresponsive("node1", true);
            try (SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster)) {
                assertFalse(host(vm.status(), "node1").responsive(), "its reporter could not start");
                TestProbe<HostEvent> events = subscribe(vm);
                TestProbe<TaskEvent> owner = testKit.createTestProbe();
                StatusReply<Spawned> refused = spawn(vm, SpawnSpec.of(Square.class, 2).withCount(2), owner);
                assertTrue(refused.isError() && refused.getError().getMessage().contains("only 1 free slot"),
                        refused::toString);

                cluster.setUnresponsive("node1", false);

                events.fishForMessage(WAIT, e -> e.equals(new HostEvent.MsgHostResponsive(node1, true, 2))
                        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
                assertEquals(3, vm.status().freeSlots());
                assertTrue(spawn(vm, SpawnSpec.of(Square.class, 2).withCount(2), owner).isSuccess());
            }
        }
    }

    @Test
    void delayedMessagesStillBringEveryResultBeforeItsExit() {
        try (SimulatedCluster cluster = new SimulatedCluster(3); SimulatedVm vm = startOn(cluster, "master", 2)) {
            cluster.addHost("node1", 2);
            cluster.delayMessages(Duration.ofMillis(1), Duration.ofMillis(40));
            TestProbe<TaskEvent> owner = testKit.createTestProbe();
            List<TaskId> tasks = spawn(vm, SpawnSpec.of(Square.class, 9).withCount(8).withOvercommit(true), owner)
                    .getValue().tasks();
            Set<TaskId> results = new HashSet<>();
            Set<TaskId> exits = new HashSet<>();
            while (exits.size() < tasks.size()) {
                TaskEvent e = owner.receiveMessage(WAIT);
                if (e instanceof MsgTaskResult r) {
                    assertEquals(81, r.value());
                    assertTrue(results.add(r.taskId()));
                } else if (e instanceof MsgTaskExit x) {
                    assertTrue(results.contains(x.taskId()), "the result came first: " + x);
                    assertEquals(MsgTaskExit.Cause.EXITED, x.cause());
                    exits.add(x.taskId());
                }
            }
            assertTrue(cluster.journal().stream().anyMatch(j -> j.contains("delayed")), "messages were delayed");
        }
    }

    @Test
    void losingTheMasterHostLosesTheVm() {
        try (SimulatedCluster cluster = new SimulatedCluster(4); SimulatedVm vm = startOn(cluster, "master", 2)) {
            TestProbe<TaskEvent> owner = testKit.createTestProbe();
            TaskId t = spawn(vm, SpawnSpec.of(Sleeper.class, 60_000), owner).getValue().tasks().get(0);
            cluster.failHost("master");
            MsgTaskExit x = assertInstanceOf(MsgTaskExit.class, owner.receiveMessage(WAIT));
            assertEquals(t, x.taskId());
            assertEquals(MsgTaskExit.Cause.VM_LOST, x.cause());
            TestProbe<StatusReply<Done>> alive = testKit.createTestProbe();
            vm.runtime().tell(new PvmCommand.Alive(alive.getRef()));
            assertFalse(alive.receiveMessage(WAIT).isSuccess());
        }
    }

    static SimulatedVm startOn(SimulatedCluster cluster, String master, int cores) {
        cluster.addHost(master, cores);
        return SimulatedVm.start(testKit.system(), cluster);
    }
}
