package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import org.pvmakka.internal.actors.PvmRuntime;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.VmStatus;

/** The runtime in an {@link ActorTestKit}, and the asks the integration tests share. */
public final class RuntimeFixture {
    /** How long a test waits for anything the runtime does. */
    public static final Duration LONG = Duration.ofSeconds(60);

    private final ActorTestKit kit;
    private final ActorRef<PvmCommand> runtime;

    private RuntimeFixture(ActorTestKit kit, ActorRef<PvmCommand> runtime) {
        this.kit = kit;
        this.runtime = runtime;
    }

    /** Starts a runtime in {@code kit} and waits until its VM is up and probed. */
    public static RuntimeFixture start(ActorTestKit kit) {
        ActorRef<PvmCommand> runtime = PvmAkka.get(kit.system()).runtime();
        TestProbe<StatusReply<Done>> up = kit.createTestProbe();
        runtime.tell(new PvmCommand.WaitForVm(LONG, up.getRef()));
        assertTrue(up.receiveMessage(LONG.plusSeconds(5)).isSuccess(), "the VM came up and was probed");
        return new RuntimeFixture(kit, runtime);
    }

    /** Wraps a runtime a test started itself (for example after subscribing to its host events). */
    public static RuntimeFixture of(ActorTestKit kit, ActorRef<PvmCommand> runtime) {
        return new RuntimeFixture(kit, runtime);
    }

    public ActorTestKit kit() {
        return kit;
    }

    public ActorRef<PvmCommand> runtime() {
        return runtime;
    }

    /** A status snapshot; fails the test on an error. */
    public VmStatus status() {
        TestProbe<StatusReply<VmStatus>> p = kit.createTestProbe();
        runtime.tell(new PvmCommand.GetStatus(p.getRef()));
        StatusReply<VmStatus> r = p.receiveMessage(LONG);
        assertTrue(r.isSuccess(), () -> "status failed: " + r.getError());
        return r.getValue();
    }

    /** The runtime's reply to a spawn. */
    public StatusReply<Spawned> spawn(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        TestProbe<StatusReply<Spawned>> p = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(spec, owner, p.getRef()));
        return p.receiveMessage(LONG);
    }

    /** A spawn that must start every task. */
    public Spawned spawnOk(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        StatusReply<Spawned> r = spawn(spec, owner);
        assertTrue(r.isSuccess(), () -> "spawn failed: " + r.getError());
        assertTrue(r.getValue().failures().isEmpty(), () -> "failures: " + r.getValue().failures());
        return r.getValue();
    }
}
