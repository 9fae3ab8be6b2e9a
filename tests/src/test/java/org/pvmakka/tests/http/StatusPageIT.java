package org.pvmakka.tests.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.javadsl.HostStatus;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;
import org.pvmakka.javadsl.pool.Job;
import org.pvmakka.javadsl.pool.JobOutcome;
import org.pvmakka.javadsl.pool.JobPool;
import org.pvmakka.javadsl.pool.PoolSettings;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Sleeper;
import org.pvmakka.tests.fn.SlowSquare;

/**
 * The status page, {@code /api/status} and {@code /metrics} served by a runtime on a real pvmd
 * ({@code pvm-akka.http.port}), and the page in a real browser (Debian's headless Chromium): hosts and tasks appear,
 * a task started after the page loaded appears without a reload, a killed task's exit shows in the time line, a pool
 * created after the page loaded appears in the Pools table with its worker, jobs done and jobs/s, and goes once shut
 * down.
 */
@ExtendWith(RealPvm.class)
class StatusPageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ActorTestKit kit;
    private static RuntimeFixture vm;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        kit = ActorTestKit.create("status-page-it", RealPvm.runtimeConfig("pvm-akka.http.port = " + port
                + "\npvm-akka.result-grace = 300ms"));
        vm = RuntimeFixture.start(kit);
        base = "http://127.0.0.1:" + port + "/";
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (get("").statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("the status page did not come up on " + base, e);
                }
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static TaskId startSleeper(TestProbe<TaskEvent> owner, long millis) {
        return vm.spawnOk(SpawnSpec.of(Sleeper.class, millis).withCount(1), owner.getRef()).tasks().get(0);
    }

    private static void kill(TaskId t) {
        TestProbe<StatusReply<Done>> p = kit.createTestProbe();
        vm.runtime().tell(new PvmCommand.KillTask(t, p.getRef()));
        assertTrue(p.receiveMessage(RuntimeFixture.LONG).isSuccess(), "killed " + t);
    }

    private static JsonNode statusJson() throws Exception {
        HttpResponse<String> r = get("api/status");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    /** Waits until the JSON snapshot satisfies {@code test}; returns it. */
    private static JsonNode awaitJson(String what, java.util.function.Predicate<JsonNode> test) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonNode s = statusJson();
        while (!test.test(s)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " not in /api/status within " + WAIT.toSeconds() + " s: " + s);
            }
            Thread.sleep(200);
            s = statusJson();
        }
        return s;
    }

    private static JsonNode task(JsonNode s, TaskId t) {
        for (JsonNode n : s.path("tasks")) {
            if (n.path("id").asText().equals(t.toString())) {
                return n;
            }
        }
        return null;
    }

    @Test
    void apiStatusListsTheHostsAndTasksAsJson() throws Exception {
        VmStatus direct = vm.status();
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = startSleeper(owner, 60_000);
        try {
            JsonNode s = awaitJson("task " + t, n -> task(n, t) != null);
            assertEquals(1, s.path("schema").asInt());
            assertTrue(s.path("vm").path("up").asBoolean(), s.toString());
            assertNotNull(java.time.Instant.parse(s.path("time").asText()));
            assertEquals(direct.hosts().size(), s.path("hosts").size(), s.toString());
            HostStatus h0 = direct.hosts().get(0);
            JsonNode h = s.path("hosts").get(0);
            assertEquals(h0.id().name(), h.path("name").asText());
            assertEquals(Integer.toHexString(h0.id().dtid()), h.path("dtid").asText());
            assertEquals(h0.arch(), h.path("arch").asText());
            assertEquals(h0.cores(), h.path("cores").asInt());
            assertEquals("responsive", h.path("state").asText());
            JsonNode tj = task(s, t);
            assertEquals(Sleeper.class.getName(), tj.path("function").asText());
            assertEquals(Integer.toHexString(t.hostDtid()), tj.path("host").asText());
            assertEquals(owner.getRef().path().toString(), tj.path("owner").asText());
            assertEquals("RUNNING", tj.path("state").asText());
            assertNotNull(java.time.Instant.parse(tj.path("started").asText()));
            assertTrue(hasEvent(s, "task-started", t, null), s.path("events").toString());
        } finally {
            kill(t);
        }
        JsonNode after = awaitJson("the exit of " + t, n -> hasEvent(n, "task-exited", t, "KILLED"));
        assertEquals(null, task(after, t), "an ended task is no longer listed");
    }

    private static boolean hasEvent(JsonNode s, String kind, TaskId t, String cause) {
        for (JsonNode e : s.path("events")) {
            if (e.path("kind").asText().equals(kind) && e.path("task").asText().equals(t.toString())
                    && (cause == null || e.path("cause").asText().equals(cause))) {
                return true;
            }
        }
        return false;
    }

    /** {@code name{label="value",...} value}: the Prometheus text format's sample line. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})?"
                    + " ([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))( -?[0-9]+)?");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*)"
            + " (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");

    /** Parses the Prometheus text format strictly: every line a HELP, a TYPE or a sample of a declared family. */
    static Map<String, Double> parsePrometheus(String text) {
        Map<String, Double> samples = new HashMap<>();
        Set<String> families = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                assertTrue(n == text.split("\n", -1).length, "an empty line only at the end: line " + n);
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertTrue(families.add(type.group(1)), "one TYPE per family: " + line);
                continue;
            }
            if (HELP.matcher(line).matches()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "line " + n + " is not Prometheus text: " + line);
            String name = m.group(1);
            assertTrue(families.stream().anyMatch(f -> name.equals(f) || name.startsWith(f + "_")),
                    "sample of an undeclared family: " + line);
            String labels = m.group(3) == null ? "" : m.group(3).replaceAll(",$", ""); // a trailing comma is allowed
            String key = name + (labels.isEmpty() ? "" : "{" + labels + "}");
            assertTrue(samples.put(key, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))) == null,
                    "duplicate sample " + key);
        }
        return samples;
    }

    @Test
    void metricsParseAsPrometheusText() throws Exception {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId t = startSleeper(owner, 60_000);
        kill(t);
        owner.fishForMessage(RuntimeFixture.LONG, e -> e instanceof MsgTaskExit ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
        long end = System.nanoTime() + WAIT.toNanos();
        Map<String, Double> m;
        while (true) {
            HttpResponse<String> r = get("metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
            m = parsePrometheus(r.body());
            if (m.getOrDefault("pvmakka_task_exits_total{cause=\"KILLED\"}", 0.0) >= 1
                    && m.getOrDefault("pvmakka_spawn_latency_seconds_count", 0.0) >= 1) {
                break;
            }
            assertTrue(System.nanoTime() < end, "the kill and the spawn not counted: " + r.body());
            Thread.sleep(200);
        }
        assertEquals(1.0, m.get("pvmakka_vm_up"));
        assertTrue(m.get("pvmakka_hosts{state=\"responsive\"}") >= 1, m.toString());
        assertEquals(0.0, m.get("pvmakka_hosts{state=\"unresponsive\"}"));
        assertTrue(m.containsKey("pvmakka_tasks{state=\"RUNNING\"}"), m.toString());
        assertTrue(m.get("pvmakka_spawns_total{outcome=\"ok\"}") >= 1);
        assertTrue(m.get("pvmakka_tasks_started_total") >= 1);
        assertTrue(m.get("pvmakka_messages_routed_total") >= 0);
        assertEquals(m.get("pvmakka_spawn_latency_seconds_count"),
                m.get("pvmakka_spawn_latency_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(m.get("pvmakka_spawn_latency_seconds_sum") > 0);
        assertEquals(vm.status().slots(), m.get("pvmakka_slots{kind=\"total\"}").intValue());
    }

    @Test
    void onlyGetIsServed() throws Exception {
        for (String path : List.of("", "api/status", "metrics", "events")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode(), "POST /" + path + ": " + r.body());
        }
        assertEquals(404, get("nothing-here").statusCode());
    }

    @Test
    void thePageShowsTheVmLiveInARealBrowser() throws Exception {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId before = startSleeper(owner, 120_000);
        Path work = RealPvm.workDir().resolve("chromium");
        try (HeadlessChromium browser = HeadlessChromium.start(work.resolve("profile"), work.resolve("chromium.log"))) {
            browser.navigate(base);
            browser.await("a host row", "document.querySelectorAll('#hosts tr.host.responsive').length >= 1", WAIT);
            String host = vm.status().hosts().get(0).id().name();
            browser.await("host " + host, "[...document.querySelectorAll('#hosts tr.host')].some(r => r.dataset.name"
                    + " === '" + host + "')", WAIT);
            browser.await("task " + before, taskRow(before), WAIT);
            // each host shows how long ago its sentinel's last heartbeat came (aged by the page itself)
            browser.await("a heartbeat age", "[...document.querySelectorAll('#hosts .beat')]"
                    + ".some(b => / s ago$/.test(b.textContent))", WAIT);
            browser.eval("window.loadedOnce = 'yes'"); // gone if the page reloads
            String snapshots = browser.eval("document.body.dataset.snapshots").asText();

            TaskId after = startSleeper(owner, 120_000);
            browser.await("task " + after + " started after the page loaded", taskRow(after), WAIT);
            kill(after);
            browser.await("the exit of " + after + " in the time line", "document.querySelector('#events"
                    + " li[data-kind=\"task-exited\"][data-task=\"" + after + "\"][data-cause=\"KILLED\"]')", WAIT);
            browser.await("task " + after + " gone from the task table", "!" + taskRow(after), WAIT);
            assertEquals("yes", browser.eval("window.loadedOnce").asText(), "the page was not reloaded");
            assertTrue(browser.eval("Number(document.body.dataset.snapshots)").asInt() > Integer.parseInt(snapshots),
                    "new snapshots came over the event stream");
            assertFalse(browser.eval("document.body.innerText").asText().contains("undefined"),
                    "no undefined field shown");
            Path png = Path.of(System.getProperty("basedir", "."), "target", "status-page.png");
            Files.createDirectories(png.getParent());
            browser.screenshot(png);
            assertTrue(Files.size(png) > 10_000, "a screenshot of the page: " + png);
        } finally {
            kill(before);
        }
    }

    @Test
    void aPoolCreatedAfterThePageLoadedShowsInThePoolsTable() throws Exception {
        Path work = RealPvm.workDir().resolve("chromium-pool");
        try (HeadlessChromium browser = HeadlessChromium.start(work.resolve("profile"), work.resolve("chromium.log"))) {
            browser.navigate(base);
            browser.await("a host row", "document.querySelectorAll('#hosts tr.host.responsive').length >= 1", WAIT);
            browser.await("no pool yet", "document.querySelector('#pools tr.none')", WAIT);
            browser.eval("window.loadedOnce = 'yes'");

            JobPool pool = JobPool.create(kit.system(), vm.runtime(), PoolSettings.defaults().withWorkers(1));
            String path = pool.ref().path().toStringWithoutAddress();
            String row = "document.querySelector('#pools tr.pool[data-pool=\"" + path + "\"]')";
            int jobs = 300;
            List<java.util.concurrent.CompletableFuture<JobOutcome>> outcomes = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < jobs; i++) { // about 10 ms each on the one worker: 3 s of work
                    outcomes.add(pool.submit(Job.of(SlowSquare.class, i, 10L).withIndex(i)).toCompletableFuture());
                }
                browser.await("pool " + path + " with its worker serving and a rate while it works", row
                        + " && " + row + ".dataset.serving === '1' && Number(" + row + ".dataset.rate) > 0", WAIT);
                Path png = Path.of(System.getProperty("basedir", "."), "target", "status-page-pool.png");
                Files.createDirectories(png.getParent());
                browser.screenshot(png);
                for (java.util.concurrent.CompletableFuture<JobOutcome> o : outcomes) {
                    o.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).get();
                }
                browser.await("all " + jobs + " jobs done in the table", row + " && " + row
                        + ".dataset.completed === '" + jobs + "'", WAIT);
                assertTrue(browser.eval(row + ".innerText").asText().contains("RAN " + jobs),
                        "outcomes by cause shown: " + browser.eval(row + ".innerText").asText());
                JsonNode p = null;
                for (JsonNode n : statusJson().path("pools")) {
                    if (n.path("path").asText().equals(path)) {
                        p = n;
                    }
                }
                assertNotNull(p, "pool " + path + " in /api/status");
                assertEquals(jobs, p.path("completed").asInt(), p.toString());
                assertEquals(0, p.path("queued").asInt(), p.toString());
            } finally {
                pool.close();
            }
            browser.await("pool " + path + " gone once shut down", "!" + row, WAIT);
            browser.await("no pool row", "document.querySelector('#pools tr.none')", WAIT);
            assertEquals("yes", browser.eval("window.loadedOnce").asText(), "the page was not reloaded");
        }
    }

    private static String taskRow(TaskId t) {
        return "document.querySelector('#tasks tr[data-task=\"" + t + "\"]')";
    }
}
