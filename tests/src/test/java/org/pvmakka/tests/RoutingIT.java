package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.internal.actors.SettingsInternals;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.Echo;
import org.pvmakka.tests.fn.LinkCounter;

/**
 * {@code pvm-akka.route} reaches the workers: with {@code direct} a worker that talks to another
 * worker holds a direct link to it (a worker that ignored the route would request no link of its
 * own); with {@code pvmd} every message goes through the daemon. Two runtimes, one after the other, in this JVM.
 */
@ExtendWith(RealPvm.class)
class RoutingIT {
    static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void directRouteLinksWorkersAndPvmdRouteDoesNot() {
        // a JVM holds sockets of its own besides the one to its pvmd: compare the two routings
        int viaPvmd = socketsOfRelayingWorker("pvmd");
        int direct = socketsOfRelayingWorker("direct");
        // the link to the echo worker is the worker's own request; one to the runtime depends on who
        // opened a route first (the runtime's payload may go before the worker asks), so it is not counted
        assertTrue(direct >= viaPvmd + 1 && direct <= viaPvmd + 2, "direct adds a link to the echo worker (and"
                + " perhaps one to the runtime): pvmd " + viaPvmd + " sockets, direct " + direct);
    }

    @Test
    void workersAreToldTheRouteAndFragmentSize() {
        PvmSettings s = PvmSettings.create(RealPvm.runtimeConfig("pvm-akka.route = direct\npvm-akka.fragment-size = 128 KiB"));
        assertTrue(SettingsInternals.worker(s).jvmOptions().contains("-Dpvmakka.route=direct"), SettingsInternals.worker(s).jvmOptions()::toString);
        assertTrue(SettingsInternals.worker(s).jvmOptions().contains("-Dpvmakka.fragment-size=131072"), SettingsInternals.worker(s).jvmOptions()::toString);
    }

    private static int socketsOfRelayingWorker(String route) {
        ActorTestKit kit = ActorTestKit.create("routing-" + route, RealPvm.runtimeConfig("pvm-akka.route = " + route));
        try {
            ActorRef<PvmCommand> runtime = PvmAkka.get(kit.system()).runtime();
            TestProbe<StatusReply<Done>> up = kit.createTestProbe();
            runtime.tell(new PvmCommand.WaitForVm(LONG, up.getRef()));
            assertTrue(up.receiveMessage(LONG.plusSeconds(5)).isSuccess(), "the VM came up");
            TestProbe<TaskEvent> owner = kit.createTestProbe();
            TaskId echo = spawn(kit, runtime, SpawnSpec.of(Echo.class), owner);
            TaskId counter = spawn(kit, runtime, SpawnSpec.of(LinkCounter.class, echo.tid(), 20), owner);
            while (true) {
                TaskEvent e = owner.receiveMessage(LONG);
                if (e instanceof MsgTaskResult r) {
                    assertTrue(r.success(), () -> "a task failed: " + r);
                    if (r.taskId().equals(counter)) {
                        return (Integer) r.value();
                    }
                }
            }
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static TaskId spawn(ActorTestKit kit, ActorRef<PvmCommand> runtime, SpawnSpec spec,
            TestProbe<TaskEvent> owner) {
        TestProbe<StatusReply<Spawned>> p = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(spec, owner.getRef(), p.getRef()));
        StatusReply<Spawned> r = p.receiveMessage(LONG);
        assertTrue(r.isSuccess(), () -> "spawn failed: " + r.getError());
        List<TaskId> tasks = r.getValue().tasks();
        return tasks.get(0);
    }
}
