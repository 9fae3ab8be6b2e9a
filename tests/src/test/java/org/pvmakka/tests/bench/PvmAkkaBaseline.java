package org.pvmakka.tests.bench;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.ByteSink;
import org.pvmakka.tests.fn.Echo;

/**
 * pvm-akka measured as a user would use it: a caller actor, the owner of an {@link Echo} and a
 * {@link ByteSink} task, talks to them through the {@code PvmRuntime} ({@code SendMessage}); the
 * tasks' messages come back to it as {@code TaskMessage}s. Payloads are {@code byte[]} sized so
 * that their Kryo encoding has exactly the nominal size on the wire.
 */
public final class PvmAkkaBaseline implements AutoCloseable {
    private static final Duration LONG = Duration.ofSeconds(120);

    private record RoundTrips(TaskId echo, byte[] payload, long[] rtts, CompletableFuture<long[]> done) {
    }

    private record OneWay(TaskId sink, byte[] payload, int count, CompletableFuture<long[]> done) {
    }

    /** The caller actor and owner of both tasks. */
    static final class Caller extends AbstractBehavior<Object> {
        private final ActorRef<PvmCommand> runtime;
        private RoundTrips rt;
        private int i;
        private long sentAt;
        private OneWay ow;

        Caller(ActorContext<Object> ctx, ActorRef<PvmCommand> runtime) {
            super(ctx);
            this.runtime = runtime;
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder()
                    .onMessage(RoundTrips.class, r -> {
                        rt = r;
                        i = 0;
                        sentAt = System.nanoTime();
                        runtime.tell(new PvmCommand.SendMessage(r.echo(), r.payload(), null));
                        return this;
                    })
                    .onMessage(OneWay.class, o -> {
                        ow = o;
                        for (int k = 0; k < o.count(); k++) {
                            runtime.tell(new PvmCommand.SendMessage(o.sink(), o.payload(), null));
                        }
                        runtime.tell(new PvmCommand.SendMessage(o.sink(), "end", null));
                        return this;
                    })
                    .onMessage(TaskMessage.class, this::onTaskMessage)
                    .onAnyMessage(m -> this) // results and exits of the tasks at the end
                    .build();
        }

        private Behavior<Object> onTaskMessage(TaskMessage m) {
            if (m.message() instanceof long[] counts) {
                ow.done().complete(counts);
                return this;
            }
            RoundTrips r = rt;
            r.rtts()[i++] = System.nanoTime() - sentAt;
            if (i == r.rtts().length) {
                r.done().complete(r.rtts());
                return this;
            }
            sentAt = System.nanoTime();
            runtime.tell(new PvmCommand.SendMessage(r.echo(), r.payload(), null));
            return this;
        }
    }

    private final ActorRef<PvmCommand> runtime;
    private final ActorRef<Object> caller;
    private final TaskId echo;
    private final TaskId sink;
    private final WireCodec codec = WireCodec.defaults();

    /** Spawns the caller actor and, owned by it, one Echo and one ByteSink task. */
    public PvmAkkaBaseline(ActorTestKit kit, ActorRef<PvmCommand> runtime, String name) {
        this.runtime = runtime;
        this.caller = kit.spawn(Behaviors.setup(ctx -> new Caller(ctx, runtime)), name);
        TestProbe<StatusReply<Spawned>> sp = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(Echo.class), caller.narrow(), sp.getRef()));
        this.echo = sp.receiveMessage(LONG).getValue().tasks().get(0);
        runtime.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(ByteSink.class), caller.narrow(), sp.getRef()));
        this.sink = sp.receiveMessage(LONG).getValue().tasks().get(0);
    }

    /** A byte array whose Kryo encoding (class ID, length, bytes) is exactly {@code wireSize} bytes. */
    public byte[] payloadFor(int wireSize) {
        for (int n = wireSize; n >= Math.max(0, wireSize - 16); n--) {
            if (codec.encode(new byte[n]).length == wireSize) {
                return new byte[n];
            }
        }
        throw new IllegalArgumentException("no byte[] encodes to exactly " + wireSize + " bytes");
    }

    /** {@code n} round trips caller actor -> Echo task -> caller actor; nanoseconds each. */
    public long[] roundTrips(int wireSize, int n) throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        caller.tell(new RoundTrips(echo, payloadFor(wireSize), new long[n], done));
        return done.get(600, TimeUnit.SECONDS);
    }

    /**
     * {@code count} messages one way to the Sink task, then "end"; waits for its count and checks
     * that nothing was dropped. Returns the elapsed nanoseconds.
     */
    public long oneWay(int wireSize, int count) throws Exception {
        byte[] payload = payloadFor(wireSize);
        CompletableFuture<long[]> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        caller.tell(new OneWay(sink, payload, count, done));
        long[] got = done.get(600, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        if (got[0] != count || got[1] != (long) count * payload.length) {
            throw new IllegalStateException("the ByteSink task received " + got[0] + " messages and " + got[1]
                    + " bytes, expected " + count + " and " + (long) count * payload.length);
        }
        return elapsed;
    }

    /** Stops both tasks. */
    @Override
    public void close() {
        runtime.tell(new PvmCommand.SendMessage(echo, "stop", null));
        runtime.tell(new PvmCommand.SendMessage(sink, "stop", null));
    }
}
