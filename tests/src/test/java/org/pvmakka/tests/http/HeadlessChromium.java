package org.pvmakka.tests.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the Chrome DevTools protocol (a WebSocket of JSON messages: the JDK's
 * WebSocket client and Jackson, no further dependency): one page, navigate, evaluate JavaScript, screenshot. The
 * browser is started and stopped by PID, with a user data directory of its own.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The Chromium that Debian's {@code chromium} package installs. */
    static Path binary() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        throw new IllegalStateException("Chromium is not installed: src/bin/pvm-akka test installs it (Debian's"
                + " chromium package: apt-get install -y chromium)");
    }

    /** Starts Chromium on about:blank and attaches to its page. */
    static HeadlessChromium start(Path userDataDir, Path log) throws Exception {
        Files.createDirectories(userDataDir);
        ProcessBuilder pb = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + userDataDir, "--window-size=1280,1000", "about:blank");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        CompletableFuture<String> ws = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ws.complete(m.group(1));
                    }
                }
                ws.completeExceptionally(new IllegalStateException("Chromium ended without a DevTools address"
                        + " (log: " + log + ")"));
            } catch (IOException e) {
                ws.completeExceptionally(e);
            }
        }, "chromium-log");
        reader.setDaemon(true);
        reader.start();
        try {
            URI browser = URI.create(ws.get(60, TimeUnit.SECONDS));
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
            String pageWs = null;
            for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos(); pageWs == null; ) {
                JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : targets) {
                    if ("page".equals(t.path("type").asText())) {
                        pageWs = t.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageWs == null) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("Chromium shows no page target: " + targets);
                    }
                    Thread.sleep(200);
                }
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            CompletableFuture<Void> ready = new CompletableFuture<>();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        String msg = text.toString();
                        text.setLength(0);
                        ready.join();
                        self[0].onMessage(msg);
                    }
                    w.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, socket);
            ready.complete(null);
            return self[0];
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private void onMessage(String msg) {
        try {
            JsonNode m = JSON.readTree(msg);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = calls.remove(m.get("id").asInt());
                if (f != null) {
                    if (m.has("error")) {
                        f.completeExceptionally(new IllegalStateException("DevTools error: " + m.get("error")));
                    } else {
                        f.complete(m.path("result"));
                    }
                }
            }
        } catch (IOException e) {
            calls.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    /** One DevTools command; its result. */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode req = JSON.createObjectNode();
        req.put("id", id);
        req.put("method", method);
        req.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        calls.put(id, f);
        socket.sendText(JSON.writeValueAsString(req), true).get(30, TimeUnit.SECONDS);
        return f.get(60, TimeUnit.SECONDS);
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (JSON-able values). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw on " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Waits until {@code expression} is true in the page; fails with {@code what} and the page's text. */
    void await(String what, String expression, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!eval("Boolean(" + expression + ")").asBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not seen in the page within " + timeout.toSeconds() + " s; the"
                        + " page shows:\n" + eval("document.body.innerText").asText());
            }
            Thread.sleep(200);
        }
    }

    /** A PNG of the page, full height. */
    void screenshot(Path png) throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
