package org.pvmakka.tests.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.SlowSquare;
import org.pvmakka.tests.fn.Square;

/**
 * A failure scenario written the way a user tests their own actors: a host of a simulated VM
 * dies while tasks run on it.
 */
class HostFailureTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final Duration WAIT = Duration.ofSeconds(10);

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    static TaskId spawnOne(SimulatedVm vm, SpawnSpec spec, ActorRef<TaskEvent> owner) {
        TestProbe<StatusReply<Spawned>> reply = testKit.createTestProbe();
        vm.runtime().tell(new PvmCommand.SpawnFunction(spec, owner, reply.getRef()));
        return reply.receiveMessage(WAIT).getValue().tasks().get(0);
    }

    @Test
    void aHostThatDiesTakesItsTasksWithItAndIsNotUsedAgain() {
        try (SimulatedCluster cluster = new SimulatedCluster(2024)) {
            cluster.addHost("master", 1);
            HostId node1 = cluster.addHost("node1", 2);
            cluster.addHost("node2", 2);
            try (SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster)) {
                TestProbe<HostEvent> hostEvents = testKit.createTestProbe();
                vm.runtime().tell(new PvmCommand.SubscribeHostEvents(hostEvents.getRef()));
                TestProbe<TaskEvent> ownerA = testKit.createTestProbe();
                TestProbe<TaskEvent> ownerB = testKit.createTestProbe();
                SpawnSpec onNode1 = SpawnSpec.of(Sleeper.class, 60_000).withTargets(List.of(node1));
                TaskId a = spawnOne(vm, onNode1, ownerA.getRef());
                TaskId b = spawnOne(vm, onNode1, ownerB.getRef());

                cluster.failHost("node1");

                for (var owner : Map.of(a, ownerA, b, ownerB).entrySet()) {
                    MsgTaskExit exit = assertInstanceOf(MsgTaskExit.class, owner.getValue().receiveMessage(WAIT));
                    assertEquals(owner.getKey(), exit.taskId());
                    assertEquals(MsgTaskExit.Cause.HOST_LOST, exit.cause());
                    owner.getValue().expectNoMessage(Duration.ofMillis(500)); // exactly one exit, no result
                }
                hostEvents.fishForMessage(WAIT, e -> e instanceof HostEvent.MsgHostDelete d && d.host().equals(node1)
                        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());

                VmStatus status = vm.status();
                assertFalse(status.hosts().stream().anyMatch(h -> h.id().equals(node1)), status.format());
                assertTrue(status.tasks().isEmpty(), status.format());

                TestProbe<TaskEvent> later = testKit.createTestProbe();
                TestProbe<StatusReply<Spawned>> reply = testKit.createTestProbe();
                vm.runtime().tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Square.class, 3).fillFreeSlots(),
                        later.getRef(), reply.getRef()));
                List<TaskId> spread = reply.receiveMessage(WAIT).getValue().tasks();
                assertEquals(3, spread.size(), "master's and node2's free slots");
                spread.forEach(t -> assertNotEquals(node1.dtid(), t.hostDtid(), "nothing goes to the dead host"));
            }
        }
    }

    /**
     * A user's job actor: squares each input on the VM (a second per task), resubmits an input
     * whose task was lost with its host, and replies the sum of the squares.
     */
    static final class SquareSum {
        sealed interface Msg {
        }

        private record Event(TaskEvent event) implements Msg {
        }

        private record Started(int input, Spawned spawned, Throwable error) implements Msg {
        }

        static Behavior<Msg> create(ActorRef<PvmCommand> pvm, List<Integer> inputs, ActorRef<Integer> sum,
                ActorRef<Integer> resubmitted) {
            return Behaviors.setup(ctx -> {
                ActorRef<TaskEvent> events = ctx.messageAdapter(TaskEvent.class, Event::new);
                Map<TaskId, Integer> inputOf = new HashMap<>();
                Map<TaskId, MsgTaskResult> early = new HashMap<>();
                Map<Integer, Integer> squares = new HashMap<>();
                IntConsumer submit = x -> ctx.askWithStatus(Spawned.class, pvm, WAIT,
                        r -> new PvmCommand.SpawnFunction(SpawnSpec.of(SlowSquare.class, x, 1000).withOvercommit(true),
                                events, r), (ok, err) -> new Started(x, ok, err));
                Consumer<MsgTaskResult> record = r -> {
                    squares.put(inputOf.get(r.taskId()), (Integer) r.value());
                    if (squares.size() == inputs.size()) {
                        sum.tell(squares.values().stream().mapToInt(Integer::intValue).sum());
                    }
                };
                inputs.forEach(submit::accept);
                return Behaviors.receive(Msg.class)
                        .onMessage(Started.class, s -> {
                            if (s.error() != null) {
                                submit.accept(s.input());
                            } else {
                                TaskId t = s.spawned().tasks().get(0);
                                inputOf.put(t, s.input());
                                if (early.containsKey(t)) {
                                    record.accept(early.remove(t));
                                }
                            }
                            return Behaviors.same();
                        })
                        .onMessage(Event.class, e -> {
                            if (e.event() instanceof MsgTaskResult r && r.success()) {
                                if (inputOf.containsKey(r.taskId())) {
                                    record.accept(r);
                                } else {
                                    early.put(r.taskId(), r); // overtook its spawn reply
                                }
                            } else if (e.event() instanceof MsgTaskExit x && x.cause() == MsgTaskExit.Cause.HOST_LOST) {
                                Integer input = inputOf.remove(x.taskId());
                                if (input != null && !squares.containsKey(input)) {
                                    resubmitted.tell(input);
                                    submit.accept(input);
                                }
                            }
                            return Behaviors.same();
                        })
                        .build();
            });
        }
    }

    @Test
    void aJobResubmitsTheWorkItsHostTookDown() {
        try (SimulatedCluster cluster = new SimulatedCluster(99)) {
            cluster.addHost("master", 1);
            HostId node1 = cluster.addHost("node1", 2);
            cluster.addHost("node2", 2);
            try (SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster)) {
                TestProbe<Integer> sum = testKit.createTestProbe();
                TestProbe<Integer> resubmitted = testKit.createTestProbe();
                testKit.spawn(SquareSum.create(vm.runtime(), List.of(1, 2, 3, 4, 5), sum.getRef(), resubmitted.getRef()));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (vm.status().tasks().stream().filter(t -> t.hostDtid() == node1.dtid()).count() < 2) {
                    assertTrue(System.nanoTime() < deadline, "two tasks run on node1");
                }

                cluster.failHost("node1");

                List<Integer> again = List.of(resubmitted.receiveMessage(WAIT), resubmitted.receiveMessage(WAIT));
                assertEquals(2, again.stream().distinct().count(), "each lost input once: " + again);
                assertEquals(1 + 4 + 9 + 16 + 25, sum.receiveMessage(WAIT));
                resubmitted.expectNoMessage(Duration.ofMillis(300));
            }
        }
    }
}
