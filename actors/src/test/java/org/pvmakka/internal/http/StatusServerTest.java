package org.pvmakka.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.receptionist.Receptionist;
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
import org.pvmakka.internal.pool.PoolRegistry;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskStarted;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.PvmSettings;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.JobPool;
import org.pvmakka.javadsl.pool.PoolCommand;
import org.pvmakka.javadsl.pool.PoolSettings;
import org.pvmakka.task.TaskId;
import org.pvmakka.testkit.SimulatedCluster;
import org.pvmakka.testkit.SimulatedVm;

/**
 * The status server on the simulator (also under the akka-2.8 profile): served when {@code pvm-akka.http.port} is
 * set, the JSON snapshot and metrics follow the runtime, {@code SubscribeTaskEvents} copies starts and exits, a pool
 * shows with its workers and jobs until it shuts down, pools that do not answer are shown as such (at most
 * {@link PoolTracker#MAX_POOLS}) without holding the snapshot up, a port in use fails naming the address.
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
        for (JsonNode h : s.path("hosts")) { // the sentinels' heartbeats, with their age
            assertTrue(h.path("lastHeartbeat").isTextual(), h::toString);
            java.time.Instant.parse(h.path("lastHeartbeat").asText());
            assertTrue(h.path("heartbeatAgeMillis").asLong() >= 0, h::toString);
        }

        String killedLine = "pvmakka_task_exits_total{cause=\"KILLED\",} ";
        double killedBefore = sample(get("metrics"), killedLine); // other tests' pools kill their workers too
        TestProbe<StatusReply<Done>> killed = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.KillTask(t, killed.getRef()));
        assertTrue(killed.receiveMessage(WAIT).isSuccess());
        MsgTaskExit exit = all.expectMessageClass(MsgTaskExit.class, WAIT);
        assertEquals(MsgTaskExit.Cause.KILLED, exit.cause());
        JsonNode after = awaitJson(n -> !lists(n, t) && n.path("events").toString().contains("\"cause\":\"KILLED\""));
        assertEquals("task-exited", after.path("events").get(after.path("events").size() - 1).path("kind").asText());

        String metrics = get("metrics");
        assertTrue(metrics.contains("pvmakka_hosts{state=\"responsive\",} 2.0"), metrics);
        assertEquals(killedBefore + 1, sample(metrics, killedLine), metrics);
        assertTrue(get("").contains("new EventSource(\"events\")"), "the page listens to the event stream");
    }

    /** The value of the sample line starting with {@code prefix} (name and labels, then a space). */
    private static double sample(String metrics, String prefix) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        throw new AssertionError("no sample " + prefix + "in " + metrics);
    }

    private static JsonNode pool(JsonNode s, String path) {
        for (JsonNode p : s.path("pools")) {
            if (p.path("path").asText().equals(path)) {
                return p;
            }
        }
        return null;
    }

    private static String awaitMetrics(java.util.function.Predicate<String> test) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        String m = get("metrics");
        while (!test.test(m)) {
            assertTrue(System.nanoTime() < end, "not in the metrics: " + m);
            Thread.sleep(100);
            m = get("metrics");
        }
        return m;
    }

    @Test
    void aPoolShowsWithItsWorkersAndJobsUntilItShutsDown() throws Exception {
        JobPool pool = JobPool.create(kit.system(), vm.runtime(), PoolSettings.defaults().withWorkers(2));
        String path = pool.ref().path().toStringWithoutAddress();
        try {
            java.util.List<JobOutcome> done = pool.map(Nap.class, java.util.List.of(5L, 5L, 5L, 5L, 5L, 5L));
            assertEquals(6, done.size());
            done.forEach(JobOutcome::get);
            JsonNode s = awaitJson(n -> pool(n, path) != null && pool(n, path).path("serving").asInt() == 2
                    && pool(n, path).path("completed").asLong() == 6);
            JsonNode p = pool(s, path);
            assertTrue(p.path("answering").asBoolean(), p.toString());
            assertEquals(pool.ref().path().name(), p.path("name").asText());
            assertEquals(0, p.path("queued").asInt(), p.toString());
            assertEquals(6, p.path("outcomes").path("RAN").asLong(), p.toString());
            assertEquals(0, s.path("poolsNotShown").asInt());
            // two reads at least a second apart give a rate: 0 jobs/s once the pool is idle
            JsonNode rated = awaitJson(n -> pool(n, path) != null && pool(n, path).path("jobsPerSecond").isNumber());
            assertTrue(pool(rated, path).path("jobsPerSecond").asDouble() >= 0, rated.toString());
            String label = "{pool=\"" + path + "\",";
            String m = awaitMetrics(t -> t.contains("pvmakka_pool_jobs_total" + label + "} 6.0"));
            assertTrue(m.contains("pvmakka_pool_workers" + label + "state=\"serving\",} 2.0"), m);
            assertTrue(m.contains("pvmakka_pool_queue_depth" + label + "} 0.0"), m);
            assertTrue(m.contains("pvmakka_pool_up" + label + "} 1.0"), m);
            assertTrue(m.contains("pvmakka_pool_job_outcomes_total" + label + "cause=\"RAN\",} 6.0"), m);
        } finally {
            pool.close();
        }
        awaitJson(n -> pool(n, path) == null);
        awaitMetrics(t -> !t.contains(path));
    }

    @Test
    void silentPoolsShowAsNotAnsweringAtMost64AndGoWhenTheyStop() throws Exception {
        int n = PoolTracker.MAX_POOLS + 6;
        java.util.List<TestProbe<PoolCommand>> silent = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestProbe<PoolCommand> p = kit.createTestProbe("silent-pool-" + i);
            silent.add(p);
            kit.system().receptionist().tell(Receptionist.register(PoolRegistry.key(vm.runtime()), p.getRef()));
        }
        try {
            JsonNode s = awaitJson(j -> j.path("pools").size() == PoolTracker.MAX_POOLS
                    && j.path("pools").findValues("answering").stream().noneMatch(JsonNode::asBoolean));
            assertEquals(6, s.path("poolsNotShown").asInt(), s.toString());
            JsonNode first = s.path("pools").get(0);
            assertTrue(first.path("error").asText().contains("no answer within"), first.toString());
            assertTrue(first.path("serving").isMissingNode(), "no figures for a pool that never answered: " + first);
            assertTrue(s.path("vm").path("up").asBoolean(), "the runtime is still read: " + s);
            silent.get(0).expectMessageClass(PoolCommand.GetStatus.class, WAIT);
            assertTrue(awaitMetrics(m -> m.contains("pvmakka_pool_up{pool=\"" + first.path("path").asText()
                    + "\",} 0.0")).contains("pvmakka_pool_up"));
        } finally {
            silent.forEach(TestProbe::stop);
        }
        awaitJson(j -> j.path("pools").isEmpty() && j.path("poolsNotShown").asInt() == 0);
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
