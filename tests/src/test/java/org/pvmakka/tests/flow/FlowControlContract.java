package org.pvmakka.tests.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.PvmCommand;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.FlowControlTimeoutException;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.fn.Echo;
import org.pvmakka.tests.fn.Flood;

/**
 * Flow control from tasks to owners (issue 12.1) and confirmed sends (12.10), on a real pvmd and on the simulator. A
 * subclass starts {@link #kit} and {@link #runtime} with {@link #CONFIG}: a window of {@link #WINDOW} messages and a
 * send time-out of {@link #SEND_TIMEOUT}.
 */
abstract class FlowControlContract {
    static final int WINDOW = 256;
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    static final String CONFIG = "pvm-akka.flow-control.window-messages = " + WINDOW + "\n"
            + "pvm-akka.flow-control.send-timeout = " + SEND_TIMEOUT.toMillis() + "ms\n"
            + "pvm-akka.result-grace = 300ms\n";
    static final Duration LONG = Duration.ofSeconds(60);
    static ActorTestKit kit;
    static ActorRef<PvmCommand> runtime;

    /** How many messages the flood sends (the owner takes 200 µs for each). */
    abstract int floodMessages();

    /** Most the heap after GC may grow while the flood runs. */
    static final long MAX_HEAP_GROWTH = 8L << 20;

    static Spawned spawnOk(SpawnSpec spec, ActorRef<TaskEvent> owner) {
        TestProbe<StatusReply<Spawned>> p = kit.createTestProbe();
        runtime.tell(new PvmCommand.SpawnFunction(spec, owner, p.getRef()));
        StatusReply<Spawned> r = p.receiveMessage(LONG);
        assertTrue(r.isSuccess(), () -> "spawn failed: " + r.getError());
        assertEquals(1, r.getValue().tasks().size(), () -> "started: " + r.getValue());
        return r.getValue();
    }

    static MsgTaskResult resultOf(TestProbe<TaskEvent> owner, List<TaskMessage> messages, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            TaskEvent e = owner.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (e instanceof MsgTaskResult r) {
                return r;
            }
            if (e instanceof TaskMessage m) {
                messages.add(m);
            }
        }
    }

    /** What the slow owner saw. */
    record Tally(long handled, long outOfOrder, long last) {
    }

    /**
     * An owner that takes 200 µs per message, checks the order and confirms every 16 messages; {@code done} completes
     * with its tally when the task's result arrives.
     */
    static Behavior<TaskEvent> slowOwner(CompletableFuture<Tally> done, CompletableFuture<MsgTaskResult> result) {
        AtomicLong handled = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        AtomicLong expected = new AtomicLong();
        return Behaviors.receive(TaskEvent.class).onMessage(TaskMessage.class, m -> {
            long seq = Flood.seq(m.message());
            if (seq != expected.get()) {
                outOfOrder.incrementAndGet();
            }
            expected.set(seq + 1);
            long until = System.nanoTime() + 200_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the owner's work
            }
            if (handled.incrementAndGet() % 16 == 0) {
                runtime.tell(new PvmCommand.MessagesHandled(m.sender(), 16));
            }
            return Behaviors.same();
        }).onMessage(MsgTaskResult.class, r -> {
            result.complete(r);
            done.complete(new Tally(handled.get(), outOfOrder.get(), expected.get() - 1));
            return Behaviors.same();
        }).onAnyMessage(e -> Behaviors.same()).build();
    }

    static long heapAfterGc(MemoryMXBean mem) {
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    @Test
    void aFloodToASlowOwnerThatConfirmsKeepsTheHeapFlatLosesAndReordersNothing() throws Exception {
        int n = floodMessages();
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        CompletableFuture<Tally> done = new CompletableFuture<>();
        CompletableFuture<MsgTaskResult> result = new CompletableFuture<>();
        ActorRef<TaskEvent> owner = kit.spawn(slowOwner(done, result));
        long before = heapAfterGc(mem);
        long t0 = System.nanoTime();
        spawnOk(SpawnSpec.of(Flood.class, n, 512).withOwnerFlowControl(true), owner);
        AtomicLong max = new AtomicLong();
        AtomicLong baseline = new AtomicLong(-1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!stop.get()) {
                long used = heapAfterGc(mem);
                if (baseline.get() < 0) {
                    baseline.set(used);
                }
                max.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.start();
        Tally t = done.get(n / 1000 + 120, TimeUnit.SECONDS);
        stop.set(true);
        sampler.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after = heapAfterGc(mem);
        System.out.printf("flow control: %d x 512 B to a 200 us owner in %.1f s: %d handled, %d out of order;"
                + " heap after GC %d KiB before, %d KiB at the first sample, %d KiB at most, %d KiB after%n", n,
                seconds, t.handled(), t.outOfOrder(), before >> 10, baseline.get() >> 10, max.get() >> 10,
                after >> 10);
        assertTrue(result.get().success(), () -> "the flood failed: " + result.join().error());
        assertEquals(n, t.handled(), "0 lost");
        assertEquals(0, t.outOfOrder(), "0 reordered");
        assertEquals(n - 1, t.last());
        assertTrue(max.get() - before < MAX_HEAP_GROWTH, () -> "the heap after GC grew by "
                + ((max.get() - before) >> 10) + " KiB during the flood");
    }

    @Test
    void aSendWaitsWhileTheWindowIsFullAndTimesOutNamingIt() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        Spawned s = spawnOk(SpawnSpec.of(Flood.class, WINDOW * 3, 512).withOwnerFlowControl(true), owner.getRef());
        List<TaskMessage> got = new java.util.ArrayList<>();
        MsgTaskResult r = resultOf(owner, got, LONG);
        assertEquals(WINDOW, got.size(), "the owner that never confirms gets exactly the window");
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, Flood.seq(got.get(i).message()));
        }
        assertFalse(r.success());
        assertEquals(FlowControlTimeoutException.class.getName(), r.error().className());
        assertTrue(r.error().message().contains("window of " + WINDOW + " messages"), r.error().message());
        assertTrue(r.error().message().contains("MessagesHandled"), r.error().message());
    }

    @Test
    void confirmingLetsAWaitingSendGoOn() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        Spawned s = spawnOk(SpawnSpec.of(Flood.class, WINDOW + 10, 64).withOwnerFlowControl(true), owner.getRef());
        TaskId task = s.tasks().get(0);
        for (int i = 0; i < WINDOW; i++) {
            assertEquals(i, Flood.seq(owner.expectMessageClass(TaskMessage.class, LONG).message()));
        }
        owner.expectNoMessage(Duration.ofMillis(300)); // the task waits for credit
        TestProbe<StatusReply<Done>> reply = kit.createTestProbe();
        runtime.tell(new PvmCommand.MessagesHandled(task, WINDOW + 1, reply.getRef()));
        StatusReply<Done> over = reply.receiveMessage(LONG); // confirms the WINDOW delivered, refuses the one more
        assertTrue(over.isError() && over.getError().getMessage().contains("only " + WINDOW), over.toString());
        List<TaskMessage> rest = new java.util.ArrayList<>();
        MsgTaskResult r = resultOf(owner, rest, LONG);
        assertTrue(r.success(), () -> "failed: " + r.error());
        assertEquals(10, rest.size());
        assertEquals(WINDOW + 9, Flood.seq(rest.get(9).message()));
    }

    @Test
    void byDefaultCreditReturnsOnHandOffAndEverythingArrivesInOrder() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        int n = WINDOW * 20;
        spawnOk(SpawnSpec.of(Flood.class, n, 64), owner.getRef());
        List<TaskMessage> got = new java.util.ArrayList<>();
        MsgTaskResult r = resultOf(owner, got, LONG);
        assertTrue(r.success(), () -> "failed: " + r.error());
        assertEquals(n, got.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, Flood.seq(got.get(i).message()));
        }
        TestProbe<StatusReply<Done>> reply = kit.createTestProbe();
        runtime.tell(new PvmCommand.MessagesHandled(r.taskId(), 1, reply.getRef()));
        assertTrue(reply.receiveMessage(LONG).isError(), "a task without owner flow control cannot be confirmed");
    }

    @Test
    void aConfirmedSendAcksOnceTheTaskHasIt() {
        TestProbe<TaskEvent> owner = kit.createTestProbe();
        TaskId task = spawnOk(SpawnSpec.of(Echo.class), owner.getRef()).tasks().get(0);
        TestProbe<StatusReply<Done>> reply = kit.createTestProbe();
        runtime.tell(new PvmCommand.SendAndConfirm(task, "hello", reply.getRef()));
        StatusReply<Done> r = reply.receiveMessage(LONG);
        assertTrue(r.isSuccess(), () -> "confirmed send failed: " + r.getError());
        assertEquals("hello", owner.expectMessageClass(TaskMessage.class, LONG).message());
        runtime.tell(new PvmCommand.SendAndConfirm(task, new StringBuilder("unregistered"), reply.getRef()));
        assertTrue(reply.receiveMessage(LONG).getError().getMessage().contains("not registered"));
        runtime.tell(new PvmCommand.SendAndConfirm(new TaskId(0x7ff01), "x", reply.getRef()));
        assertTrue(reply.receiveMessage(LONG).isError(), "only the runtime's own tasks can confirm");
        runtime.tell(new PvmCommand.SendMessage(task, "stop", reply.getRef()));
        assertTrue(reply.receiveMessage(LONG).isSuccess());
        while (!(owner.receiveMessage(LONG) instanceof MsgTaskExit)) {
            // its messages and result
        }
    }
}
