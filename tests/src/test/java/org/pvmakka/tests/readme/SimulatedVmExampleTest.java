package org.pvmakka.tests.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.task.HostId;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;

class SimulatedVmExampleTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    /** The task function under test: it runs in this JVM, on a thread of a simulated host. */
    public static final class SlowSquare implements TaskFunction {
        @Override
        public Object run(TaskContext context, List<Object> args) throws InterruptedException {
            Thread.sleep((Long) args.get(1));
            int x = (Integer) args.get(0);
            return x * x;
        }
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void squaresOnTheVmAndLosesATaskWithItsHost() {
        try (SimulatedCluster cluster = new SimulatedCluster(42)) {          // the seed fixes message delays
            cluster.addHost("master", "LINUX64", 1000, 2);                  // name, arch, speed, cores
            HostId node1 = cluster.addHost("node1", "LINUX64", 2000, 4);
            try (SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster)) {   // the runtime, hosts probed
                TestProbe<TaskEvent> owner = testKit.createTestProbe();
                TestProbe<StatusReply<Spawned>> spawned = testKit.createTestProbe();

                vm.runtime().tell(new PvmCommand.SpawnFunction(SpawnSpec.of(SlowSquare.class, 7, 0L),
                        owner.getRef(), spawned.getRef()));
                TaskId quick = spawned.receiveMessage().getValue().tasks().get(0);
                MsgTaskResult result = owner.expectMessageClass(MsgTaskResult.class);
                assertEquals(quick, result.taskId());
                assertEquals(49, result.value());
                assertEquals(MsgTaskExit.Cause.EXITED, owner.expectMessageClass(MsgTaskExit.class).cause());

                vm.runtime().tell(new PvmCommand.SpawnFunction(SpawnSpec.of(SlowSquare.class, 8, 60_000L)
                        .withTargets(List.of(node1)), owner.getRef(), spawned.getRef()));
                TaskId slow = spawned.receiveMessage().getValue().tasks().get(0);
                cluster.failHost("node1");                                      // a crash, on demand
                MsgTaskExit lost = owner.expectMessageClass(MsgTaskExit.class);
                assertEquals(slow, lost.taskId());
                assertEquals(MsgTaskExit.Cause.HOST_LOST, lost.cause());
            }
        }
    }
}
