package org.pvmakka.tests.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.HostEvent;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.task.HostId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;

class VirtualTimeExampleTest {
    // the runtime's timers (liveness, result grace, re-probes) run on the test's clock
    static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config()
            .withFallback(ConfigFactory.parseString("pvm-akka.liveness.heartbeat-interval = 20ms"))
            .withFallback(ConfigFactory.load()));
    static final ManualTime clock = ManualTime.get(testKit.system());

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aHostWhoseHeartbeatsStopIsDeclaredLostWhenTheClockSaysSo() throws InterruptedException {
        try (SimulatedCluster cluster = new SimulatedCluster(7)) {
            cluster.addHost("master", 2);
            HostId node1 = cluster.addHost("node1", 2);
            try (SimulatedVm vm = SimulatedVm.start(testKit.system(), cluster)) {
                TestProbe<HostEvent> hosts = testKit.createTestProbe();
                vm.runtime().tell(new PvmCommand.SubscribeHostEvents(hosts.getRef()));
                cluster.setUnresponsive("node1", true);          // a hung pvmd: node1's heartbeats stop
                for (int s = 0; s < 9; s++) {                     // 9 of the 10 s of liveness.timeout
                    clock.timePasses(Duration.ofSeconds(1));
                    Thread.sleep(60);                             // the master's heartbeats keep coming
                }
                hosts.expectNoMessage(Duration.ofMillis(100));    // not yet
                clock.timePasses(Duration.ofSeconds(2));           // now it is past 10 s
                HostEvent.MsgHostDelete lost = hosts.expectMessageClass(HostEvent.MsgHostDelete.class);
                assertEquals(node1, lost.host());
                hosts.expectNoMessage(Duration.ofMillis(200));    // the master is alive
            }
        }
    }
}
