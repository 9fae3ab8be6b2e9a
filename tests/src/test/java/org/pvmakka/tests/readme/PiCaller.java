package org.pvmakka.tests.readme;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;

public final class PiCaller extends AbstractBehavior<PiCaller.Msg> {
    sealed interface Msg {}
    record Event(TaskEvent event) implements Msg {}
    record SpawnReplied(Spawned spawned, Throwable refused) implements Msg {}

    public static Behavior<Msg> create(ActorRef<Object> report) {     // report: where the test listens
        return Behaviors.setup(ctx -> new PiCaller(ctx, report));
    }

    private final ActorRef<Object> report;

    private PiCaller(ActorContext<Msg> ctx, ActorRef<Object> report) {
        super(ctx);
        this.report = report;
        ActorRef<PvmCommand> pvm = PvmAkka.get(ctx.getSystem()).runtime();
        ActorRef<TaskEvent> owner = ctx.messageAdapter(TaskEvent.class, Event::new);
        SpawnSpec spec = SpawnSpec.of(PiTask.class, 1_000_000L).withCount(4).withOvercommit(true)
                .withCorrelation("pi-run-1");                          // every event of these tasks carries it
        ctx.askWithStatus(Spawned.class, pvm, Duration.ofSeconds(30),
                replyTo -> new PvmCommand.SpawnFunction(spec, owner, replyTo), SpawnReplied::new);
    }

    @Override
    public Receive<Msg> createReceive() {
        return newReceiveBuilder()
                .onMessage(SpawnReplied.class, r -> {
                    if (r.refused() != null) {                         // e.g. no free slot: says why
                        getContext().getLog().error("spawn refused: {}", r.refused().getMessage());
                        report.tell(r.refused());
                    } else {
                        getContext().getLog().info("started {}", r.spawned().tasks());
                    }
                    return this;
                })
                .onMessage(Event.class, e -> {
                    if (e.event() instanceof MsgTaskResult r) {
                        getContext().getLog().info("{} of {} returned {}", r.taskId(), r.correlation(), r.value());
                        report.tell(r);
                    } else if (e.event() instanceof MsgTaskExit x) {
                        getContext().getLog().info("{} ended: {}", x.taskId(), x.cause());
                        report.tell(x);
                    }
                    return this;
                })
                .build();
    }
}
