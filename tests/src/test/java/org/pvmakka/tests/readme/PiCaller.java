package org.pvmakka.tests.readme;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import org.pvmakka.demo.MonteCarloPi;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;

/** The README's actor example, verbatim (plus a probe to report to, for the test). */
public final class PiCaller extends AbstractBehavior<TaskEvent> {
    public static Behavior<TaskEvent> create(ActorRef<PvmCommand> pvm, ActorRef<Object> report) {
        return Behaviors.setup(ctx -> new PiCaller(ctx, pvm, report));
    }

    private final ActorRef<Object> report;

    private PiCaller(ActorContext<TaskEvent> ctx, ActorRef<PvmCommand> pvm, ActorRef<Object> report) {
        super(ctx);
        this.report = report;
        ActorRef<StatusReply<Spawned>> ignore = ctx.getSystem().ignoreRef();
        pvm.tell(new PvmCommand.SpawnFunction(SpawnSpec.of(MonteCarloPi.class, 1_000_000L, 42L).withCount(4)
                .withOvercommit(true), ctx.getSelf(), ignore));   // or ask with StatusReply to see the task IDs
    }

    @Override
    public Receive<TaskEvent> createReceive() {
        return newReceiveBuilder()
                .onMessage(MsgTaskResult.class, r -> {
                    getContext().getLog().info("{} returned {} (success {})", r.taskId(), r.value(), r.success());
                    report.tell(r);
                    return this;
                })
                .onMessage(MsgTaskExit.class, x -> {
                    getContext().getLog().info("{} ended: {}", x.taskId(), x.cause());
                    report.tell(x);
                    return this;
                })
                .build();
    }
}
