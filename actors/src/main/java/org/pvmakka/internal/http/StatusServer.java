package org.pvmakka.internal.http;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.pvmakka.javadsl.PvmCommand;

import static akka.http.javadsl.marshalling.sse.EventStreamMarshalling.toEventStream;

/**
 * The live status page, served with Akka HTTP: {@code GET /} (the page), {@code GET /api/status} (the snapshot as
 * JSON), {@code GET /events} (server-sent events: a new snapshot whenever it changes) and {@code GET /metrics}
 * (Prometheus text). Read-only: every route answers GET only (others get 405), and the feed only queries the
 * runtime and its pools. Event streams are bounded ({@link StatusFeed#MAX_SINKS} at once, {@link #SINK_BUFFER}
 * snapshots queued each, the oldest dropped first). The actor binds when it starts and unbinds when it stops.
 */
public final class StatusServer {

    /** Snapshots queued per event stream; a slow client loses the older ones (each snapshot is complete). */
    static final int SINK_BUFFER = 4;
    private static final String PAGE = "status.html";

    private StatusServer() {
    }

    private sealed interface Msg {
    }

    private record Bound(ServerBinding binding, Throwable error) implements Msg {
    }

    /**
     * Serves the status of {@code runtime} as long as the returned actor lives.
     *
     * @param bound completed with the binding, or with the reason it failed (logged too); may be null
     */
    public static Behavior<Void> create(ActorRef<PvmCommand> runtime, String address, int port,
            CompletableFuture<ServerBinding> bound) {
        return Behaviors.<Msg>setup(ctx -> {
            StatusMetrics metrics = new StatusMetrics();
            ActorRef<StatusFeed.Command> feed = ctx.spawn(StatusFeed.create(runtime, metrics), "feed");
            Route route = new Routes(ctx.getSystem(), feed, metrics).route();
            ctx.pipeToSelf(Http.get(ctx.getSystem()).newServerAt(address, port).bind(route), Bound::new);
            return Behaviors.receive(Msg.class).onMessage(Bound.class, b -> {
                if (b.error() != null) {
                    String why = "pvm-akka.http: cannot serve the status page on " + address + ":" + port + ": "
                            + b.error().getMessage();
                    ctx.getLog().error(why);
                    if (bound != null) {
                        bound.completeExceptionally(new IllegalStateException(why, b.error()));
                    }
                    return Behaviors.stopped();
                }
                ctx.getLog().info("pvm-akka: status page on http://{}/", b.binding().localAddress());
                if (bound != null) {
                    bound.complete(b.binding());
                }
                return Behaviors.receive(Msg.class).onSignal(PostStop.class, s -> {
                    b.binding().unbind();
                    return Behaviors.same();
                }).build();
            }).build();
        }).unsafeCast();
    }

    /**
     * Serves the status of {@code runtime} from a system actor of {@code system} (the {@code pvm-akka status --serve}
     * command); completes with the binding, or fails naming the address and why.
     */
    public static CompletableFuture<ServerBinding> serve(ActorSystem<?> system, ActorRef<PvmCommand> runtime,
            String address, int port) {
        CompletableFuture<ServerBinding> bound = new CompletableFuture<>();
        system.systemActorOf(create(runtime, address, port, bound), "pvm-akka-http-" + port, Props.empty());
        return bound;
    }

    /** The routes; GET only. */
    private static final class Routes extends AllDirectives {
        private final ActorSystem<?> system;
        private final ActorRef<StatusFeed.Command> feed;
        private final StatusMetrics metrics;
        private final byte[] page;
        private final AtomicInteger streams = new AtomicInteger();

        Routes(ActorSystem<?> system, ActorRef<StatusFeed.Command> feed, StatusMetrics metrics) {
            this.system = system;
            this.feed = feed;
            this.metrics = metrics;
            try (InputStream in = StatusServer.class.getResourceAsStream(PAGE)) {
                if (in == null) {
                    throw new IllegalStateException("the status page resource " + PAGE + " is missing");
                }
                page = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Route route() {
            return get(() -> concat(
                    pathSingleSlash(() -> complete(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, page))),
                    pathPrefix("api", () -> path("status", () -> onSuccess(
                            AskPattern.<StatusFeed.Command, String>ask(feed, StatusFeed.Get::new,
                                    Duration.ofSeconds(10), system.scheduler()),
                            json -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, json))))),
                    path("metrics", () -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8,
                            metrics.scrape()))),
                    path("events", this::events)));
        }

        private Route events() {
            if (streams.incrementAndGet() > StatusFeed.MAX_SINKS) {
                streams.decrementAndGet();
                return complete(StatusCodes.SERVICE_UNAVAILABLE, "too many event streams open (at most "
                        + StatusFeed.MAX_SINKS + ")");
            }
            Source<ServerSentEvent, NotUsed> sse = ActorSource.<String>actorRef(StatusFeed.END::equals,
                            m -> Optional.empty(), SINK_BUFFER, OverflowStrategy.dropHead())
                    .mapMaterializedValue(sink -> {
                        feed.tell(new StatusFeed.AddSink(sink));
                        return NotUsed.getInstance();
                    })
                    .map(json -> ServerSentEvent.create(json, "snapshot"))
                    .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat)
                    .watchTermination((nu, done) -> {
                        done.whenComplete((d, e) -> streams.decrementAndGet());
                        return nu;
                    });
            return completeOK(sse, toEventStream());
        }
    }
}
