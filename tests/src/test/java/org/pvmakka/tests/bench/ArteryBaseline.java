package org.pvmakka.tests.bench;

import akka.actor.AbstractActor;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Props;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Akka baseline: what an Akka user would pick instead of pvm-akka, two JVMs talking over
 * Artery TCP on loopback (akka-remote 2.6.21, classic actors, the default Artery settings except
 * where noted in {@link #config}). Payloads are {@code byte[]} on Akka's built-in
 * {@code ByteArraySerializer}, the end-of-stream marker and the acknowledgement are Strings on its
 * built-in {@code StringSerializer}; Java serialization is off.
 *
 * <p>{@link #main} is the second JVM: it runs an echo actor ({@code /user/echo}), and two sinks
 * ({@code /user/sink}, and {@code /user/sink-large} on Artery's large-message stream for 1 MiB
 * messages) that count byte arrays and answer "end" with "count bytes", and a job worker
 * ({@code /user/worker}, answers a byte array with a copy whose first byte is 1). It prints its port and
 * runs until its stdin closes. The benchmark JVM starts it with {@link #start}.
 */
public final class ArteryBaseline implements AutoCloseable {
    private static final String PORT_LINE = "ARTERY-PORT ";

    /**
     * Artery TCP on 127.0.0.1. Changed from the defaults: the outbound queue holds 131072 messages
     * instead of 3072, so a burst of 100 000 one-way messages is queued instead of dropped; 1 MiB
     * messages go to {@code /user/sink-large}, a large-message destination (its own stream, frames
     * up to 2 MiB), as Akka's documentation advises for big messages.
     */
    public static Config config(int port) {
        return ConfigFactory.parseString(String.join("\n",
                "akka.actor.provider = remote",
                "akka.actor.allow-java-serialization = off",
                "akka.remote.artery.transport = tcp",
                "akka.remote.artery.canonical.hostname = \"127.0.0.1\"",
                "akka.remote.artery.canonical.port = " + port,
                "akka.remote.artery.large-message-destinations = [\"/user/sink-large\"]",
                "akka.remote.artery.advanced.outbound-message-queue-size = 131072",
                "akka.remote.warn-about-direct-use = off",
                "akka.loglevel = WARNING"))
                .withFallback(ConfigFactory.load());
    }

    /** The second JVM. */
    public static void main(String[] args) throws Exception {
        ActorSystem system = ActorSystem.create("artery-echo", config(0));
        system.actorOf(Props.create(Echo.class), "echo");
        system.actorOf(Props.create(Sink.class), "sink");
        system.actorOf(Props.create(Sink.class), "sink-large");
        system.actorOf(Props.create(Worker.class), "worker");
        int port = (Integer) ((ExtendedActorSystem) system).provider().getDefaultAddress().getPort().orElseThrow();
        System.out.println(PORT_LINE + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the benchmark closes our stdin (or dies)
        }
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.exit(0);
    }

    /** Replies with what it received. */
    public static final class Echo extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> getSender().tell(m, getSelf())).build();
        }
    }

    /** The job pool baseline's worker: answers a byte array with a copy whose first byte is 1. */
    public static final class Worker extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().match(byte[].class, b -> {
                byte[] r = b.clone();
                r[0] = 1;
                getSender().tell(r, getSelf());
            }).build();
        }
    }

    /** Counts byte arrays; answers "end" with "count bytes" and starts afresh. */
    public static final class Sink extends AbstractActor {
        private long count;
        private long bytes;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(byte[].class, b -> {
                        count++;
                        bytes += b.length;
                    })
                    .matchEquals("end", e -> {
                        getSender().tell(count + " " + bytes, getSelf());
                        count = 0;
                        bytes = 0;
                    })
                    .build();
        }
    }

    // ---- the benchmark JVM's side ----

    private record Run(ActorRef target, byte[] payload, long[] rtts, CompletableFuture<long[]> done) {
    }

    private record Stream(ActorRef target, byte[] payload, int count, CompletableFuture<String> done) {
    }

    /** Sends, waits for the echo, records the round trip, repeats. */
    public static final class Pinger extends AbstractActor {
        private Run run;
        private int i;
        private long sentAt;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Run.class, r -> {
                        run = r;
                        i = 0;
                        sentAt = System.nanoTime();
                        r.target().tell(r.payload(), getSelf());
                    })
                    .match(byte[].class, b -> {
                        run.rtts()[i++] = System.nanoTime() - sentAt;
                        if (i == run.rtts().length) {
                            run.done().complete(run.rtts());
                            return;
                        }
                        sentAt = System.nanoTime();
                        run.target().tell(run.payload(), getSelf());
                    })
                    .build();
        }
    }

    private record Window(ActorRef target, byte[] payload, long[] latencies, int inFlight, CompletableFuture<Long> done) {
    }

    /**
     * Keeps {@code inFlight} requests to the worker outstanding with itself as the sender (no temporary
     * actor per request, as {@code ask} has); answers come back in order on the one connection.
     */
    public static final class Windower extends AbstractActor {
        private Window w;
        private long[] sentAt;
        private int sent;
        private int done;
        private long t0;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Window.class, x -> {
                        w = x;
                        sentAt = new long[x.latencies().length];
                        sent = 0;
                        done = 0;
                        t0 = System.nanoTime();
                        while (sent < sentAt.length && sent < x.inFlight()) {
                            sendNext();
                        }
                    })
                    .match(byte[].class, b -> {
                        if (b.length != w.payload().length || b[0] != 1) {
                            w.done().completeExceptionally(new IllegalStateException("a wrong answer"));
                            return;
                        }
                        w.latencies()[done] = System.nanoTime() - sentAt[done];
                        done++;
                        if (sent < sentAt.length) {
                            sendNext();
                        }
                        if (done == sentAt.length) {
                            w.done().complete(System.nanoTime() - t0);
                        }
                    })
                    .build();
        }

        private void sendNext() {
            sentAt[sent++] = System.nanoTime();
            w.target().tell(w.payload(), getSelf());
        }
    }

    /** Sends {@code count} messages back to back, then "end", and completes with the sink's answer. */
    public static final class Streamer extends AbstractActor {
        private CompletableFuture<String> done;

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Stream.class, s -> {
                        done = s.done();
                        for (int k = 0; k < s.count(); k++) {
                            s.target().tell(s.payload(), getSelf());
                        }
                        s.target().tell("end", getSelf());
                    })
                    .match(String.class, a -> done.complete(a))
                    .build();
        }
    }

    private final Process server;
    private final Path serverOut;
    private final ActorSystem system;
    private final ActorRef echo;
    private final ActorRef sink;
    private final ActorRef sinkLarge;
    private final ActorRef worker;
    private final ActorRef pinger;
    private final ActorRef windower;
    private final ActorRef streamer;
    private final List<String> serverJvmOptions;

    private ArteryBaseline(Process server, Path serverOut, List<String> serverJvmOptions, int port) throws Exception {
        this.server = server;
        this.serverOut = serverOut;
        this.serverJvmOptions = serverJvmOptions;
        this.system = ActorSystem.create("artery-bench", config(0));
        String base = "akka://artery-echo@127.0.0.1:" + port + "/user/";
        Duration t = Duration.ofSeconds(30);
        this.echo = system.actorSelection(base + "echo").resolveOne(t).toCompletableFuture().get(40, TimeUnit.SECONDS);
        this.sink = system.actorSelection(base + "sink").resolveOne(t).toCompletableFuture().get(40, TimeUnit.SECONDS);
        this.sinkLarge = system.actorSelection(base + "sink-large").resolveOne(t).toCompletableFuture()
                .get(40, TimeUnit.SECONDS);
        this.worker = system.actorSelection(base + "worker").resolveOne(t).toCompletableFuture()
                .get(40, TimeUnit.SECONDS);
        this.pinger = system.actorOf(Props.create(Pinger.class), "pinger");
        this.windower = system.actorOf(Props.create(Windower.class), "windower");
        this.streamer = system.actorOf(Props.create(Streamer.class), "streamer");
    }

    /**
     * Starts the second JVM ({@code java <jvmOptions> -cp <this JVM's classpath> ArteryBaseline})
     * and an actor system in this JVM connected to it.
     */
    public static ArteryBaseline start(String java, List<String> jvmOptions, String classpath, Path workDir)
            throws Exception {
        Files.createDirectories(workDir);
        Path out = workDir.resolve("artery-echo.out");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ArteryBaseline.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int port = -1;
        while (port < 0 && System.nanoTime() < deadline && p.isAlive()) {
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith(PORT_LINE)) {
                    port = Integer.parseInt(line.substring(PORT_LINE.length()).trim());
                }
            }
            Thread.sleep(20);
        }
        if (port < 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the Artery echo JVM did not start: " + Files.readString(out));
        }
        return new ArteryBaseline(p, out, jvmOptions, port);
    }

    /** The process ID of the echo JVM. */
    public long serverPid() {
        return server.pid();
    }

    /** The options of the echo JVM. */
    public List<String> serverJvmOptions() {
        return serverJvmOptions;
    }

    /** {@code n} round trips of a {@code size}-byte array; nanoseconds each. */
    public long[] roundTrips(int size, int n) throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        pinger.tell(new Run(echo, new byte[size], new long[n], done), ActorRef.noSender());
        return done.get(300, TimeUnit.SECONDS);
    }

    /**
     * Sends {@code count} arrays of {@code size} bytes one way, then "end", and waits for the sink's
     * count; checks that nothing was dropped. Returns the elapsed nanoseconds.
     */
    public long oneWay(int size, int count) throws Exception {
        ActorRef target = size > 256 * 1024 - 1024 ? sinkLarge : sink;
        CompletableFuture<String> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        streamer.tell(new Stream(target, new byte[size], count, done), ActorRef.noSender());
        String ack = done.get(300, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        String expected = count + " " + (long) count * size;
        if (!expected.equals(ack)) {
            throw new IllegalStateException("the Artery sink received '" + ack + "' (messages bytes), expected '"
                    + expected + "': messages were dropped");
        }
        return elapsed;
    }

    /** Per-job latencies (nanoseconds, in job order) and the wall time of a run of {@link #asks}. */
    public record Asks(long[] latencies, long wallNanos) {
    }

    /**
     * {@code n} asks of a {@code size}-byte array to the worker actor, at most {@code inFlight} at a
     * time (an Akka Streams {@code mapAsync}); checks every answer. Latency: from the ask to its answer.
     */
    public Asks asks(int n, int size, int inFlight) throws Exception {
        byte[] arg = new byte[size];
        long[] lat = new long[n];
        Duration timeout = Duration.ofSeconds(60);
        long t0 = System.nanoTime();
        akka.stream.javadsl.Source.range(0, n - 1).mapAsync(inFlight, i -> {
            long sent = System.nanoTime();
            return akka.pattern.Patterns.ask(worker, arg, timeout).thenApply(r -> {
                byte[] b = (byte[]) r;
                if (b.length != size || b[0] != 1) {
                    throw new IllegalStateException("the Artery worker answered " + b.length + " bytes, first " + b[0]);
                }
                lat[i] = System.nanoTime() - sent;
                return b;
            });
        }).runWith(akka.stream.javadsl.Sink.ignore(), system).toCompletableFuture().get(300, TimeUnit.SECONDS);
        return new Asks(lat, System.nanoTime() - t0);
    }

    /**
     * As {@link #asks}, but with {@code tell} and one long-lived sender actor: at most {@code inFlight}
     * requests outstanding, the answers correlated by their order.
     */
    public Asks tells(int n, int size, int inFlight) throws Exception {
        long[] lat = new long[n];
        CompletableFuture<Long> done = new CompletableFuture<>();
        windower.tell(new Window(worker, new byte[size], lat, inFlight, done), ActorRef.noSender());
        return new Asks(lat, done.get(300, TimeUnit.SECONDS));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // go on stopping the server
        }
        server.getOutputStream().close(); // its stdin: it terminates its actor system and exits
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The echo JVM's output, for diagnostics. */
    public String serverOutput() throws IOException {
        return Files.readString(serverOut);
    }
}
