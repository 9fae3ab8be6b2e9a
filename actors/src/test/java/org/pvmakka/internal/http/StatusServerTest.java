package org.pvmakka.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskStarted;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;

/**
 * The status server on the simulator (also under the akka-2.8 profile): served when {@code pvm-akka.http.port} is
 * set, the JSON snapshot and metrics follow the runtime, {@code SubscribeTaskEvents} copies starts and exits, a port
 * in use fails naming the address.
 */
class StatusServerTest {
    /** Sleeps for its argument in milliseconds. */
    public static final class Nap implements org.pvmakka.task.TaskFunction {
        @Override
        public Object run(org.pvmakka.task.TaskContext context, java.util.List<Object> args)
                throws InterruptedException {
            Thread.sleep(((Number) args.get(0)).longValue());
            return "slept";
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ActorTestKit kit;
    private static SimulatedVm vm;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        kit = ActorTestKit.create("status-server-test");
        SimulatedCluster cluster = new SimulatedCluster(7);
        cluster.addHost("alpha", 2);
        cluster.addHost("beta", 3);
        vm = SimulatedVm.start(kit.system(), cluster, PvmSettings.builder().httpPort(port).build());
        base = "http://127.0.0.1:" + port + "/";
    }

    @AfterAll
    static void stop() {
        vm.close();
        kit.shutdownTestKit();
    }

    private static String get(String path) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                return r.body();
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static JsonNode awaitJson(java.util.function.Predicate<JsonNode> test) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonNode s = StatusJson.MAPPER.readTree(get("api/status"));
        while (!test.test(s)) {
            assertTrue(System.nanoTime() < end, "not in the snapshot: " + s);
            Thread.sleep(100);
            s = StatusJson.MAPPER.readTree(get("api/status"));
        }
        return s;
    }

    private static boolean lists(JsonNode s, TaskId t) {
        for (JsonNode n : s.path("tasks")) {
            if (n.path("id").asText().equals(t.toString())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void snapshotMetricsAndTaskEventsFollowTheRuntime() throws Exception {
        TestProbe<TaskEvent> all = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.SubscribeTaskEvents(all.getRef()));
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TestProbe<StatusReply<Spawned>> reply = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Nap.class, 60_000L)
                .withCount(1), owner.getRef(), reply.getRef()));
        TaskId t = reply.receiveMessage(WAIT).getValue().tasks().get(0);
        MsgTaskStarted started = all.expectMessageClass(MsgTaskStarted.class, WAIT);
        assertEquals(t, started.taskId());

        JsonNode s = awaitJson(n -> lists(n, t));
        assertEquals(2, s.path("hosts").size());
        assertEquals("alpha", s.path("hosts").get(0).path("name").asText());
        assertEquals(5, s.path("vm").path("slots").asInt());

        TestProbe<StatusReply<Done>> killed = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.KillTask(t, killed.getRef()));
        assertTrue(killed.receiveMessage(WAIT).isSuccess());
        MsgTaskExit exit = all.expectMessageClass(MsgTaskExit.class, WAIT);
        assertEquals(MsgTaskExit.Cause.KILLED, exit.cause());
        JsonNode after = awaitJson(n -> !lists(n, t) && n.path("events").toString().contains("\"cause\":\"KILLED\""));
        assertEquals("task-exited", after.path("events").get(after.path("events").size() - 1).path("kind").asText());

        String metrics = get("metrics");
        assertTrue(metrics.contains("pvmakka_hosts{state=\"responsive\",} 2.0"), metrics);
        assertTrue(metrics.contains("pvmakka_task_exits_total{cause=\"KILLED\",} 1.0"), metrics);
        assertTrue(get("").contains("new EventSource(\"events\")"), "the page listens to the event stream");
    }

    @Test
    void aPortInUseFailsNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> StatusServer.serve(kit.system(),
                    vm.runtime(), "127.0.0.1", taken.getLocalPort()).get(20, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }
}
