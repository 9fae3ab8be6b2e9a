package org.pvmakka.internal.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.javadsl.MsgTaskOutput;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;

/** The bridge's trust checks on their own: what is routed where, and what is dropped and counted. */
class InboundRouterTest {
    static final int PVMD = TaskId.TIDPVMD;
    static final int OURS = 0x40003;
    static final int STRANGER = 0x40009;

    final WireCodec codec = WireCodec.defaults();
    final List<String> log = new ArrayList<>();
    final List<Object[]> toOwners = new ArrayList<>();
    final List<String> firstDrops = new ArrayList<>();
    InboundRouter<String> router;

    @BeforeEach
    void setUp() {
        router = new InboundRouter<>(codec, new InboundRouter.Effects<>() {
            @Override
            public void resultArrived(MsgTaskResult result) {
                log.add("result " + result.taskId() + " " + result.value() + " " + result.correlation());
            }

            @Override
            public void taskExited(TaskId task) {
                log.add("exit " + task);
            }

            @Override
            public void hostDeleted(int dtid) {
                log.add("host-delete " + Integer.toHexString(dtid));
            }

            @Override
            public void hostsAdded(List<Integer> dtids) {
                log.add("hosts-added " + dtids.size());
            }

            @Override
            public void toOwner(String owner, TaskEvent event) {
                toOwners.add(new Object[] {owner, event});
            }

            @Override
            public void dropped(String reason, Inbound in, boolean first) {
                if (first) {
                    firstDrops.add(reason);
                }
            }

            @Override
            public void output(TaskId task, String text) {
                log.add("output " + task);
            }

            @Override
            public void receiptArrived(TaskId task, long seq) {
                log.add("receipt " + task + " " + seq);
            }
        });
        router.attach();
        router.started(OURS, "owner", "job-1");
    }

    Inbound.Message result(int from, int claims, Object value) {
        return new Inbound.Message(from, WireTags.RESULT, codec.encode(WireResult.success(new TaskId(claims), value)));
    }

    long dropped() {
        return router.counters().dropped();
    }

    @Test
    void aResultFromOurTaskReachesTheSpawnerWithTheSpawnsCorrelation() {
        router.route(result(OURS, OURS, 49));
        assertEquals(List.of("result t40003 49 job-1"), log);
        assertEquals(0, dropped());
        assertEquals(1, router.counters().routed());
    }

    @Test
    void dropsThatDifferOnlyInNumbersAreLoggedOnceAndCountedUnderOneReason() {
        router.started(0x40004, "owner", null);
        for (int claimed = 0x40100; claimed < 0x40100 + 500; claimed++) {
            router.route(result(OURS, claimed, 1)); // a rogue varies the task it claims to be
            router.route(result(0x40004, claimed, 1));
            router.route(new Inbound.Refused(OURS, WireTags.USER, claimed, "message of " + claimed + " bytes"));
        }
        assertEquals(1500, dropped());
        assertEquals(2, router.counters().droppedByReason().size(), router.counters().droppedByReason()::toString);
        assertEquals(2, firstDrops.size(), firstDrops::toString);
    }

    @Test
    void forgedAndForeignResultsAreDroppedAndCounted() {
        router.route(result(STRANGER, STRANGER, 1));          // not a task we spawned
        router.route(result(STRANGER, OURS, 2));              // a stranger claiming to be ours
        router.route(result(OURS, STRANGER, 3));              // ours claiming to be another
        router.route(new Inbound.Message(OURS, WireTags.RESULT, new byte[] {1, 2, 3})); // garbage
        router.route(new Inbound.Message(OURS, WireTags.RESULT, codec.encode("not a result")));
        assertTrue(log.isEmpty(), log::toString);
        assertEquals(5, dropped());
        assertEquals(5, router.counters().droppedByReason().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(4, firstDrops.size(), firstDrops::toString); // the two malformed ones may share a reason prefix
    }

    @Test
    void aForgottenTaskIsAStranger() {
        router.forget(OURS);
        router.route(result(OURS, OURS, 49));
        assertTrue(log.isEmpty());
        assertEquals(1, dropped());
        assertFalse(router.owns(OURS));
    }

    @Test
    void userMessagesGoToTheOwnerAndSubscribersWithTheCorrelation() {
        router.subscribe("subscriber");
        router.route(new Inbound.Message(OURS, WireTags.USER, codec.encode("hello")));
        router.route(new Inbound.Message(STRANGER, WireTags.USER, codec.encode("from a stranger")));
        assertEquals(3, toOwners.size());
        assertEquals("owner", toOwners.get(0)[0]);
        TaskMessage m = assertInstanceOf(TaskMessage.class, toOwners.get(0)[1]);
        assertEquals("hello", m.message());
        assertEquals("job-1", m.correlation());
        assertEquals("subscriber", toOwners.get(1)[0]);
        assertEquals("subscriber", toOwners.get(2)[0]); // a stranger's message reaches subscribers only
        assertEquals(null, ((TaskMessage) toOwners.get(2)[1]).correlation());
    }

    @Test
    void userMessagesWithoutOwnerOrSubscriberOrUndecodableAreDropped() {
        router.route(new Inbound.Message(STRANGER, WireTags.USER, codec.encode("nobody listens")));
        router.route(new Inbound.Message(OURS, WireTags.USER, new byte[] {(byte) 0xff, 0x7f}));
        assertTrue(toOwners.isEmpty());
        assertEquals(2, dropped());
    }

    @Test
    void unknownTagsAndRefusedMessagesAreDropped() {
        router.route(new Inbound.Message(OURS, 4242, new byte[0]));
        router.route(new Inbound.Refused(OURS, WireTags.USER, 1 << 30, "larger than max-message-bytes"));
        assertEquals(2, dropped());
        assertTrue(firstDrops.get(1).contains("larger than max-message-bytes"));
    }

    @Test
    void outputIsTrustedOnlyFromAPvmdAndChecked() {
        byte[] text = "line\n".getBytes(StandardCharsets.UTF_8);
        byte[] ok = ByteBuffer.allocate(8 + text.length).putInt(OURS).putInt(text.length).put(text).array();
        router.route(new Inbound.Message(PVMD, WireTags.OUTPUT, ok));
        MsgTaskOutput out = assertInstanceOf(MsgTaskOutput.class, toOwners.get(0)[1]);
        assertEquals("line\n", out.text());
        assertEquals("job-1", out.correlation());
        router.route(new Inbound.Message(OURS, WireTags.OUTPUT, ok));                              // not a pvmd
        router.route(new Inbound.Message(PVMD, WireTags.OUTPUT, new byte[] {0, 0, 0}));            // short
        byte[] lying = ByteBuffer.allocate(12).putInt(OURS).putInt(1 << 20).putInt(0).array();     // longer than body
        router.route(new Inbound.Message(PVMD, WireTags.OUTPUT, lying));
        assertEquals(1, toOwners.size());
        assertEquals(3, dropped());
    }

    @Test
    void notifiesOnlyFromAPvmdAndOnlyOnceAttached() {
        InboundRouter<String> early = new InboundRouter<>(codec, new InboundRouter.Effects<>() {
            @Override
            public void resultArrived(MsgTaskResult result) {
                throw new AssertionError();
            }

            @Override
            public void taskExited(TaskId task) {
                throw new AssertionError();
            }

            @Override
            public void hostDeleted(int dtid) {
                throw new AssertionError();
            }

            @Override
            public void hostsAdded(List<Integer> dtids) {
                throw new AssertionError();
            }

            @Override
            public void toOwner(String owner, TaskEvent event) {
                throw new AssertionError();
            }

            @Override
            public void dropped(String reason, Inbound in, boolean first) {
            }

            @Override
            public void output(TaskId task, String text) {
            }
        });
        early.route(new Inbound.Notification(PVMD, WireTags.TASK_EXIT, NotifyKind.TASK_EXIT, List.of(OURS)));
        assertEquals(1, early.counters().dropped());

        router.route(new Inbound.Notification(STRANGER, WireTags.TASK_EXIT, NotifyKind.TASK_EXIT, List.of(OURS)));
        assertTrue(log.isEmpty());
        assertFalse(router.exited(OURS));
        router.route(new Inbound.Notification(PVMD, WireTags.TASK_EXIT, NotifyKind.TASK_EXIT, List.of(OURS)));
        router.route(new Inbound.Notification(PVMD, WireTags.HOST_DELETE, NotifyKind.HOST_DELETE, List.of(0x80000)));
        router.route(new Inbound.Notification(PVMD, WireTags.HOST_ADD, NotifyKind.HOST_ADD, List.of(0x80000, 0xc0000)));
        assertEquals(List.of("exit t40003", "host-delete 80000", "hosts-added 2"), log);
        assertTrue(router.exited(OURS), "messages to a task whose exit came are refused from then on");
        assertEquals(1, dropped());
    }

    @Test
    void losingTheVmForgetsEveryRoute() {
        router.clear();
        assertFalse(router.owns(OURS));
        router.route(new Inbound.Message(OURS, WireTags.RESULT,
                codec.encode(WireResult.failure(new TaskId(OURS), RemoteError.of("X", "late")))));
        assertTrue(log.isEmpty());
    }

    static byte[] output(int tid, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + b.length).putInt(tid).putInt(b.length).put(b).array();
    }

    @Test
    void theLastOutputOfALiveTaskIsKeptWithoutForwardingItAndDroppedWhenItIsForgotten() {
        InboundRouter<String> quiet = new InboundRouter<>(codec, new InboundRouter.Effects<>() {
            @Override
            public void resultArrived(MsgTaskResult result) {
            }

            @Override
            public void taskExited(TaskId task) {
            }

            @Override
            public void hostDeleted(int dtid) {
            }

            @Override
            public void hostsAdded(List<Integer> dtids) {
            }

            @Override
            public void toOwner(String owner, TaskEvent event) {
                toOwners.add(new Object[] {owner, event});
            }

            @Override
            public void dropped(String reason, Inbound in, boolean first) {
            }

            @Override
            public void output(TaskId task, String text) {
                log.add("output " + task);
            }
        }, false);
        quiet.attach();
        quiet.started(OURS, "owner", null);
        for (int i = 0; i < 30; i++) {
            quiet.route(new Inbound.Message(PVMD, WireTags.OUTPUT, output(OURS, "line " + i + "\n")));
        }
        quiet.route(new Inbound.Message(PVMD, WireTags.OUTPUT, output(STRANGER, "not ours\n")));
        assertTrue(toOwners.isEmpty(), "not forwarded below debug 2");
        assertTrue(log.isEmpty(), "not decoded for the log when it does not log output");
        String tail = quiet.outputTail(OURS);
        assertTrue(tail.startsWith("...line 10\n"), tail);
        assertTrue(tail.endsWith("line 29"), tail);
        assertEquals(OutputTails.MAX_LINES, tail.lines().count());
        assertEquals(1, quiet.outputsKept(), "only of tasks this runtime spawned");
        quiet.forget(OURS);
        assertEquals(0, quiet.outputsKept());
        assertEquals("", quiet.outputTail(OURS));
    }

    @Test
    void theOutputKeptPerTaskIsBounded() {
        OutputTails t = new OutputTails();
        byte[] big = ("x".repeat(9000) + "\nend of a long line\n").getBytes(StandardCharsets.UTF_8);
        t.append(1, big, 0, big.length);
        assertTrue(t.tail(1).length() <= OutputTails.MAX_BYTES + 3);
        assertTrue(t.tail(1).endsWith("\nend of a long line"), t.tail(1));
        for (int i = 0; i < 1000; i++) {
            byte[] b = ("chunk " + i + "\n").getBytes(StandardCharsets.UTF_8);
            t.append(2, b, 0, b.length);
        }
        assertTrue(t.tail(2).endsWith("chunk 998\nchunk 999"), t.tail(2));
        assertEquals(OutputTails.MAX_LINES, t.tail(2).lines().count());
        byte[] small = "Error: Could not find or load main class x\n".getBytes(StandardCharsets.UTF_8);
        t.append(3, small, 0, small.length);
        assertEquals("Error: Could not find or load main class x", t.tail(3));
    }

    static final int FLOWING = 0x40005;

    Inbound.Message user(int from, Object o) {
        return new Inbound.Message(from, WireTags.USER, codec.encode(o));
    }

    List<CreditLedger.Grant> grants() {
        List<CreditLedger.Grant> out = new ArrayList<>();
        router.credits().drainDue(out::add);
        return out;
    }

    @Test
    void aTaskThatIgnoresItsCreditsIsRefusedBeyondItsWindowAndCreditReturnsOnHandOff() {
        router.started(FLOWING, "owner", null, new org.pvmakka.internal.wire.FlowWindow(3, 1 << 20, 1000, false));
        for (int i = 0; i < 10; i++) {
            router.route(user(FLOWING, i));
        }
        assertEquals(3, toOwners.size(), "the window, no more");
        assertEquals(7, dropped());
        assertTrue(firstDrops.get(0).contains("flow-control window"), firstDrops.toString());
        List<CreditLedger.Grant> g = grants();
        assertEquals(1, g.size());
        assertEquals(3, g.get(0).messages());
        assertEquals(FLOWING, g.get(0).tid());
        router.route(user(FLOWING, 10)); // credited: admitted again
        assertEquals(4, toOwners.size());
        router.forget(FLOWING);
        assertTrue(grants().isEmpty(), "an ended task is owed nothing");
    }

    @Test
    void anOwnerThatConfirmsReturnsTheCreditAndBytesBoundTheWindow() {
        router.started(FLOWING, "owner", null, new org.pvmakka.internal.wire.FlowWindow(100, 1200, 1000, true));
        router.route(user(FLOWING, new byte[500]));
        router.route(user(FLOWING, new byte[500]));
        router.route(user(FLOWING, new byte[500])); // over 1200 bytes in flight: refused
        assertEquals(2, toOwners.size());
        assertEquals(1, dropped());
        assertTrue(grants().isEmpty(), "nothing is credited before the owner confirms");
        assertEquals(null, router.credits().confirm(FLOWING, 1));
        assertTrue(router.credits().confirm(FLOWING, 5).contains("only 1"));
        List<CreditLedger.Grant> g = grants();
        assertEquals(2, g.get(0).messages());
        assertTrue(g.get(0).bytes() > 1000);
        assertTrue(router.credits().confirm(OURS, 1).contains("not flow controlled"));
    }

    @Test
    void aReceiptCountsOnlyFromOurTasks() {
        router.route(new Inbound.Message(OURS, WireTags.RECEIPT, codec.encode(new org.pvmakka.internal.wire.Receipt(7))));
        router.route(new Inbound.Message(STRANGER, WireTags.RECEIPT,
                codec.encode(new org.pvmakka.internal.wire.Receipt(8))));
        router.route(new Inbound.Message(OURS, WireTags.RECEIPT, new byte[] {1, 2, 3}));
        assertEquals(List.of("receipt t40003 7"), log);
        assertEquals(2, dropped());
    }

    @Test
    void aDeliveryIsAnsweredOnlyByItsTaskAndFailsWhenTheTaskEnds() {
        DeliveryTracker<String> d = new DeliveryTracker<>();
        long a = d.register(OURS, "a");
        long b = d.register(OURS, "b");
        assertEquals(null, d.received(STRANGER, a));
        assertEquals("a", d.received(OURS, a));
        assertEquals(null, d.received(OURS, a), "once");
        assertEquals(List.of("b"), d.ended(OURS));
        assertEquals(0, d.size());
        assertTrue(b > a);
    }
}
