package org.pvmakka.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.wire.Credit;
import org.pvmakka.internal.wire.Delivery;
import org.pvmakka.internal.wire.FlowWindow;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.internal.wire.PoolWire;
import org.pvmakka.internal.wire.Receipt;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.task.HostId;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;
import org.pvmakka.task.WireException;
import org.pvmakka.task.WireRegistrar;
import org.pvmakka.task.WireRegistry;

class WireCodecTest {
    record Sample(int a, String b, List<Object> c) {
    }

    /** Not registered anywhere: must never be instantiated by the codec. */
    static final class Evil {
        static int constructed;

        Evil() {
            constructed++;
        }
    }

    public static final class SampleRegistrar implements WireRegistrar {
        @Override
        public void registerClasses(WireRegistry registry) {
            registry.register(Sample.class, 1000);
        }
    }

    private final WireCodec codec = new WireCodec(WireSettings.defaults().withRegistrar(SampleRegistrar.class));

    /** One sample instance of every registered class (fails when a registered class has no sample). */
    static Object sampleOf(Class<?> c) {
        Map<Class<?>, Object> samples = new HashMap<>();
        for (Object o : List.of(new TaskId(0x40001), new HostId(0x40000, "vm"),
                new SpawnRequest("a.B", Arrays.asList(1, null, "x"), true), WireResult.success(new TaskId(0x40002), 42L),
                WireResult.failure(new TaskId(0x40003), RemoteError.of(new IllegalStateException("x"))),
                RemoteError.of("E", "m"), new HostReport("h", 4), new ArrayList<>(List.of(1, 2)),
                new PoolWire.Hello(new HostId(0x40000, "h")),
                new PoolWire.Job(7L, "a.B", new ArrayList<>(List.of(1, "x"))),
                new PoolWire.Jobs(new ArrayList<>(List.of(new PoolWire.Job(8L, "a.B", new ArrayList<>())))),
                new PoolWire.Result(7L, true, 49, null),
                new PoolWire.Results(new ArrayList<>(List.of(new PoolWire.Result(8L, false, null, RemoteError.of("E", "m")))), 5L),
                new PoolWire.Stop(),
                new LinkedList<>(List.of("a")), new HashMap<>(Map.of("k", 1)), new LinkedHashMap<>(Map.of(1, 2)),
                new TreeMap<>(Map.of("a", 1)), new HashSet<>(Set.of(1)), new LinkedHashSet<>(Set.of(2)),
                new TreeSet<>(Set.of(3)), new byte[] {1, 2}, new int[] {3}, new long[] {4}, new double[] {5.5},
                new float[] {6.5f}, new boolean[] {true}, new char[] {'c'}, new short[] {7}, new String[] {"s"},
                new Object[] {1, "o"}, BigInteger.TEN.pow(30), new BigDecimal("1.25"), UUID.randomUUID(),
                List.of(1), List.of(1, 2, 3), Set.of(1), Set.of(1, 2, 3), Map.of(1, 1), Map.of(1, 1, 2, 2),
                Collections.emptyList(), Collections.emptyMap(), Collections.emptySet(), Arrays.asList(1, 2),
                new Sample(1, "b", new ArrayList<>(List.of(2.5))), new FlowWindow(8, 1024, 1000, true),
                new Credit(3, 1500), new Delivery(9, "m"), new Receipt(9))) {
            samples.put(o.getClass(), o);
        }
        return samples.get(c);
    }

    @Test
    void everyRegisteredTypeRoundTrips() {
        for (Map.Entry<Integer, Class<?>> e : codec.registrations().entrySet()) {
            Object sample = sampleOf(e.getValue());
            assertTrue(sample != null, "no sample for registered " + e.getValue().getName() + " (ID " + e.getKey() + ")");
            Object back = codec.decode(codec.encode(sample));
            assertEquals(sample.getClass(), back.getClass(), e.getValue().getName());
            if (sample.getClass().isArray()) {
                assertArrayEquals(new Object[] {sample}, new Object[] {back}, e.getValue().getName());
            } else if (!(sample instanceof WireResult) && !(sample instanceof SpawnRequest)) {
                assertEquals(sample, back, e.getValue().getName());
            }
        }
    }

    @Test
    void resultsAndRequestsKeepTheirContent() {
        WireResult f = WireResult.failure(new TaskId(0x40003), RemoteError.of(new IllegalStateException("x")));
        WireResult back = codec.decode(codec.encode(f), WireResult.class);
        assertEquals(f.error(), back.error());
        assertTrue(back.error().stackTrace().contains("WireCodecTest"));
        SpawnRequest r = new SpawnRequest("a.B", Arrays.asList(1, null, List.of("x")), true);
        assertEquals(r, codec.decode(codec.encode(r)));
    }

    @Test
    void everyRuntimeWireTypeIsRegistered() {
        for (Class<?> c : List.of(TaskId.class, HostId.class, SpawnRequest.class, WireResult.class, RemoteError.class,
                HostReport.class, FlowWindow.class, Credit.class, Delivery.class, Receipt.class)) {
            assertTrue(codec.registrations().containsValue(c), c.getName() + " is a wire type and must be registered");
        }
        assertTrue(codec.registrations().keySet().stream().filter(id -> id < WireRegistry.FIRST_USER_ID)
                .allMatch(id -> id >= 100), "runtime IDs live in 100..999");
    }

    @Test
    void unregisteredClassIsRefusedOnTheSendingSideByName() {
        WireException e = assertThrows(WireException.class, () -> codec.encode(List.of(1, new Evil())));
        assertTrue(e.getMessage().contains(Evil.class.getName() + " is not registered"), e.getMessage());
        WireException top = assertThrows(WireException.class, () -> codec.encode(new StringBuilder()));
        assertTrue(top.getMessage().contains("java.lang.StringBuilder is not registered"), top.getMessage());
    }

    @Test
    void unregisteredClassIdOnTheWireIsRefusedWithoutInstantiating() {
        // Kryo writes a class ID as varint(id + 2); 1999 is not registered on this side
        WireCodec other = new WireCodec(WireSettings.defaults().withClass(Evil.class, 1999));
        byte[] bytes = other.encode(new Evil());
        int before = Evil.constructed;
        WireException e = assertThrows(WireException.class, () -> codec.decode(bytes));
        assertTrue(e.getMessage().contains("unregistered class ID: 1999"), e.getMessage());
        assertEquals(before, Evil.constructed, "no instance of an unregistered class was made");
    }

    @Test
    void garbageAndTruncatedInputAreRefused() {
        byte[] good = codec.encode(new Sample(1, "hello", new ArrayList<>(List.of("x", 2))));
        assertThrows(WireException.class, () -> codec.decode(Arrays.copyOf(good, good.length - 3)));
        assertThrows(WireException.class, () -> codec.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}));
        byte[] longer = Arrays.copyOf(good, good.length + 2);
        WireException trailing = assertThrows(WireException.class, () -> codec.decode(longer));
        assertTrue(trailing.getMessage().contains("trailing bytes"), trailing.getMessage());
    }

    @Test
    void oversizeIsRefusedBothWays() {
        WireCodec small = new WireCodec(WireSettings.defaults().withMaxMessageBytes(100));
        WireException e = assertThrows(WireException.class, () -> small.encode(new byte[200]));
        assertTrue(e.getMessage().contains("maximum message size of 100 bytes"), e.getMessage());
        byte[] big = codec.encode(new byte[200]);
        WireException d = assertThrows(WireException.class, () -> small.decode(big));
        assertTrue(d.getMessage().contains("over the maximum message size of 100"), d.getMessage());
    }

    /** The pooled output buffer is reused: after big, oversize and failed encodings, small ones are exact. */
    @Test
    void pooledOutputBufferIsResetBetweenMessages() {
        byte[] small = codec.encode(List.of("a", 1));
        byte[] big = new byte[WireCodec.RETAINED_OUTPUT_BYTES / 2];
        big[big.length - 1] = 9;
        assertArrayEquals(big, (byte[]) codec.decode(codec.encode(big)));
        assertArrayEquals(small, codec.encode(List.of("a", 1)), "no bytes left over from the big message");
        byte[] huge = new byte[WireCodec.RETAINED_OUTPUT_BYTES * 2]; // grows past the kept size, then dropped
        assertArrayEquals(huge, (byte[]) codec.decode(codec.encode(huge)));
        assertArrayEquals(small, codec.encode(List.of("a", 1)));
        WireCodec tiny = new WireCodec(WireSettings.defaults().withMaxMessageBytes(100));
        assertThrows(WireException.class, () -> tiny.encode(new byte[200]));
        assertThrows(WireException.class, () -> tiny.encode(List.of(new Object())));
        assertArrayEquals(small, tiny.encode(List.of("a", 1)), "a failed encoding leaves nothing behind");
    }

    @Test
    void registrationsAreValidatedAndFingerprinted() {
        assertThrows(WireException.class, () -> new WireCodec(WireSettings.defaults().withClass(Sample.class, 999)),
                "IDs below 1000 are the runtime's");
        WireException dup = assertThrows(WireException.class, () -> new WireCodec(
                WireSettings.defaults().withRegistrar(SampleRegistrar.class).withClass(Evil.class, 1000)));
        assertTrue(dup.getMessage().contains("taken by"), dup.getMessage());
        WireException missing = assertThrows(WireException.class,
                () -> new WireCodec(WireSettings.defaults().withRegistrar(WireRegistrar.class).withClass(Evil.class, 1001)));
        assertTrue(missing.getMessage().contains("no-argument constructor") || missing.getMessage().contains("registrar"));
        WireException nf = assertThrows(WireException.class, () -> new WireCodec(new WireSettings(100, List.of(),
                Map.of("com.example.Nope", 1000))));
        assertTrue(nf.getMessage().contains("com.example.Nope is not on the classpath"), nf.getMessage());
        WireCodec same = new WireCodec(WireSettings.defaults().withRegistrar(SampleRegistrar.class));
        assertEquals(codec.fingerprint(), same.fingerprint());
        assertNotEquals(codec.fingerprint(), WireCodec.defaults().fingerprint());
    }

    @Test
    void settingsTravelAsSystemProperties() {
        WireSettings s = WireSettings.defaults().withRegistrar(SampleRegistrar.class).withClass(Evil.class, 1001)
                .withMaxMessageBytes(12345);
        List<String> opts = s.toJvmOptions();
        try {
            for (String o : opts) {
                String kv = o.substring(2);
                System.setProperty(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            WireSettings back = WireSettings.fromSystemProperties();
            assertEquals(s, back);
            assertEquals(new WireCodec(s).fingerprint(), new WireCodec(back).fingerprint());
        } finally {
            System.clearProperty(WireSettings.PROP_MAX);
            System.clearProperty(WireSettings.PROP_REGISTRARS);
            System.clearProperty(WireSettings.PROP_CLASSES);
        }
    }

    // ---- forged lengths: refused before anything of that length is allocated ----

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** What one forged decode may allocate on the decoding thread. */
    static final long FORGED_DECODE_BUDGET = 2 << 20;
    static long maxForgedAllocation;
    static long maxSmallForgedAllocation;

    /** A message: the class ID of {@code id} (Kryo writes varint(id + 2)), then what {@code rest} writes. */
    static byte[] forged(int id, Consumer<Output> rest) {
        Output o = new Output(64, -1);
        o.writeVarInt(id + 2, true);
        rest.accept(o);
        return o.toBytes();
    }

    /** A length varint as arrays, maps, BigInteger and BigDecimal write it: near 2^31. */
    static Consumer<Output> hugeLength() {
        return o -> o.writeVarInt(Integer.MAX_VALUE, true);
    }

    /** A collection's header (its "same type" flag and length): near 2^31 elements. */
    static Consumer<Output> hugeCollection() {
        return o -> o.writeVarIntFlag(false, Integer.MAX_VALUE, true);
    }

    static final String MARK = "\u00e9\u00e9\u00e9";

    /** {@code encoded} cut at the string {@link #MARK}, which now claims 2^31 - 2 chars. */
    static byte[] withHugeString(byte[] encoded) {
        byte[] mark = {(byte) 0x84, (byte) 0xc3, (byte) 0xa9, (byte) 0xc3, (byte) 0xa9, (byte) 0xc3, (byte) 0xa9};
        for (int i = 0; i + mark.length <= encoded.length; i++) {
            if (Arrays.equals(encoded, i, i + mark.length, mark, 0, mark.length)) {
                Output o = new Output(64, -1);
                o.writeBytes(encoded, 0, i);
                o.writeVarIntFlag(true, Integer.MAX_VALUE, true);
                return o.toBytes();
            }
        }
        throw new AssertionError("no " + MARK + " in the encoding");
    }

    /** Asserts that decoding {@code bytes} fails with a WireException containing {@code why}, allocating little. */
    WireException refusedCheaply(byte[] bytes, String why, String what) {
        return refusedCheaply(codec, bytes, why, what);
    }

    static WireException refusedCheaply(WireCodec codec, byte[] bytes, String why, String what) {
        codec.decode(codec.encode(List.of(1))); // a pooled Kryo is made, not counted
        try {
            codec.decode(bytes); // nor the classes and call sites a first failure loads
        } catch (WireException first) {
            // measured below
        }
        WireException[] e = new WireException[1];
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            codec.decode(bytes);
        } catch (WireException x) {
            e[0] = x;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e[0] != null, what + ": decoded " + bytes.length + " forged bytes");
        assertTrue(e[0].getMessage().contains(why), what + ": " + e[0].getMessage());
        assertTrue(allocated < FORGED_DECODE_BUDGET, what + ": allocated " + allocated + " bytes");
        maxForgedAllocation = Math.max(maxForgedAllocation, allocated);
        if (bytes.length <= 100) {
            maxSmallForgedAllocation = Math.max(maxSmallForgedAllocation, allocated);
        }
        forgedShapes++;
        return e[0];
    }

    static int forgedShapes;

    @AfterAll
    static void figures() {
        System.out.println("forged decodes: " + forgedShapes + " refused, at most " + maxForgedAllocation
                + " bytes allocated by one, at most " + maxSmallForgedAllocation + " by one of <= 100 bytes");
    }

    /** The user's own collection, map and JDK types get the bounded serializers too. */
    @Test
    void userRegisteredTypesAreBoundedToo() {
        WireCodec user = new WireCodec(WireSettings.defaults().withClass(ArrayDeque.class, 1001)
                .withClass(PriorityQueue.class, 1002).withClass(ConcurrentHashMap.class, 1003)
                .withClass(BitSet.class, 1004).withClass(StringBuilder.class, 1005).withClass(Vector.class, 1006)
                .withClass(ConcurrentSkipListMap.class, 1007));
        assertEquals(List.of(1, 2), new ArrayList<>((ArrayDeque<?>) user.decode(user.encode(new ArrayDeque<>(List.of(1, 2))))));
        assertEquals(List.of(3), new ArrayList<>((PriorityQueue<?>) user.decode(user.encode(new PriorityQueue<>(List.of(3))))));
        assertEquals(Map.of("a", 1), user.decode(user.encode(new ConcurrentHashMap<>(Map.of("a", 1)))));
        assertEquals(BitSet.valueOf(new long[] {5}), user.decode(user.encode(BitSet.valueOf(new long[] {5}))));
        assertEquals(MARK, user.decode(user.encode(new StringBuilder(MARK))).toString());
        assertEquals(new Vector<>(List.of(1)), user.decode(user.encode(new Vector<>(List.of(1)))));
        assertEquals(new ConcurrentSkipListMap<>(Map.of(1, 2)), user.decode(user.encode(new ConcurrentSkipListMap<>(Map.of(1, 2)))));
        refusedCheaply(user, forged(1001, hugeCollection()), "claims", "ArrayDeque");
        refusedCheaply(user, forged(1002, hugeCollection()), "claims", "PriorityQueue");
        refusedCheaply(user, forged(1003, hugeLength()), "claims", "ConcurrentHashMap");
        refusedCheaply(user, forged(1004, hugeLength()), "claims", "BitSet");
        refusedCheaply(user, withHugeString(user.encode(new StringBuilder(MARK))), "claims", "StringBuilder");
        refusedCheaply(user, forged(1006, hugeCollection()), "claims", "Vector");
        refusedCheaply(user, forged(1007, hugeLength()), "claims", "ConcurrentSkipListMap");
    }

    @Test
    void aForgedArrayLengthIsRefusedInSevenBytes() {
        byte[] forged = forged(210, hugeLength());
        assertEquals(7, forged.length);
        long max = maxForgedAllocation;
        maxForgedAllocation = 0;
        WireException e = refusedCheaply(forged, "claims 2147483646 elements", "byte[]");
        assertTrue(e.getMessage().contains("only 0 bytes of the message are left"), e.getMessage());
        System.out.println("the 7-byte forged byte[]: refused, " + maxForgedAllocation + " bytes allocated: "
                + e.getMessage());
        maxForgedAllocation = Math.max(max, maxForgedAllocation);
    }

    /** Every registered type that reads a length (or holds something that does) refuses a forged one. */
    @Test
    void everyRegisteredTypeRefusesAForgedLength() {
        Map<Class<?>, byte[]> shapes = new LinkedHashMap<>();
        Set<Class<?>> noLength = Set.of(TaskId.class, UUID.class, Collections.emptyList().getClass(),
                Collections.emptyMap().getClass(), Collections.emptySet().getClass(), PoolWire.Stop.class,
                FlowWindow.class, Credit.class, Receipt.class);
        for (Map.Entry<Integer, Class<?>> e : codec.registrations().entrySet()) {
            Class<?> c = e.getValue();
            int id = e.getKey();
            if (noLength.contains(c)) {
                continue;
            }
            if (c.isArray() || c == BigInteger.class || c == BigDecimal.class || Map.class.isAssignableFrom(c)) {
                shapes.put(c, forged(id, hugeLength()));
            } else if (java.util.Collection.class.isAssignableFrom(c)) {
                shapes.put(c, forged(id, hugeCollection()));
            } else if (c.isRecord()) {
                shapes.put(c, withHugeString(codec.encode(recordWithMark(c))));
            } else {
                throw new AssertionError("no forged shape for registered " + c.getName() + " (ID " + id + ")");
            }
        }
        shapes.put(String.class, withHugeString(codec.encode(MARK)));
        for (Map.Entry<Class<?>, byte[]> s : shapes.entrySet()) {
            refusedCheaply(s.getValue(), "claims", s.getKey().getName());
        }
    }

    static Object recordWithMark(Class<?> c) {
        for (Object o : List.of(new HostId(0x40000, MARK), new SpawnRequest(MARK, List.of(1), true),
                WireResult.failure(new TaskId(0x40002), RemoteError.of(MARK, "m")), RemoteError.of(MARK, "m"),
                new HostReport(MARK, 4), new Sample(1, MARK, new ArrayList<>()),
                new PoolWire.Hello(new HostId(0x40000, MARK)), new PoolWire.Job(1, MARK, List.of(1)),
                new PoolWire.Jobs(List.of(new PoolWire.Job(1, MARK, List.of()))),
                new PoolWire.Result(1, false, null, RemoteError.of(MARK, "m")),
                new PoolWire.Results(List.of(new PoolWire.Result(1, false, null, RemoteError.of(MARK, "m"))), 5),
                new Delivery(1, MARK))) {
            if (o.getClass() == c) {
                return o;
            }
        }
        throw new AssertionError("no record sample with a string for " + c.getName());
    }

    /** Nested claims share one budget: a list claiming the whole message cannot hold lists that claim it again. */
    @Test
    void nestedClaimsCannotMultiply() {
        int padding = 256 << 10;
        Output o = new Output(padding + 1024, -1);
        for (int i = 0; i < 50; i++) {
            o.writeVarInt(200 + 2, true); // ArrayList
            o.writeVarIntFlag(false, padding + 1, true);
        }
        o.writeBytes(new byte[padding]);
        refusedCheaply(o.toBytes(), "more than the rest of the message can hold", "50 nested lists of 256 Ki");

        Output nulls = new Output(8192, -1);
        nulls.writeVarInt(200 + 2, true);
        nulls.writeVarIntFlag(false, 1000 + 1, true);
        for (int i = 0; i < 1000; i++) { // 1000 lists of 60 000 nulls each, in 6 bytes each
            nulls.writeVarInt(200 + 2, true);
            nulls.writeVarIntFlag(true, 60_000 + 1, true);
            nulls.writeVarInt(0, true); // the elements' class: null, so all are null
        }
        refusedCheaply(nulls.toBytes(), "more than the rest of the message can hold", "1000 all-null lists");
    }

    @Test
    void honestNullsAndEmptyValuesStillFit() {
        List<Object> nulls = new ArrayList<>(Collections.nCopies(1000, null));
        assertEquals(nulls, codec.decode(codec.encode(nulls)));
        List<Object> tooMany = new ArrayList<>(Collections.nCopies(BoundedInput.ZERO_BYTE_ELEMENTS + 100, null));
        WireException e = assertThrows(WireException.class, () -> codec.encode(tooMany), "refused on the sending side");
        assertTrue(e.getMessage().contains("a receiver would refuse it") && e.getMessage().contains("claims 65636"),
                e.getMessage());
        Output o = new Output(16, -1); // as Kryo would write it: 5 bytes
        o.writeVarInt(200 + 2, true);
        o.writeVarIntFlag(true, tooMany.size() + 1, true);
        o.writeVarInt(0, true);
        refusedCheaply(o.toBytes(), "claims", "a list of 65 636 nulls in 5 bytes");
        List<Object> justFits = new ArrayList<>(Collections.nCopies(BoundedInput.ZERO_BYTE_ELEMENTS, null));
        assertEquals(justFits, codec.decode(codec.encode(justFits)));
        Map<String, List<Integer>> m = new HashMap<>(Map.of("k", List.of(1, 2, 3)));
        assertEquals(m, codec.decode(codec.encode(m)));
    }

    @Test
    void depthIsCappedBothWays() {
        Object ok = 1;
        for (int i = 0; i < WireCodec.MAX_DEPTH - 2; i++) {
            ok = new ArrayList<>(List.of(ok));
        }
        assertEquals(ok, codec.decode(codec.encode(ok)));
        Object deep = new ArrayList<>(List.of(ok, 2));
        deep = new ArrayList<>(List.of(deep));
        Object tooDeep = deep;
        WireException enc = assertThrows(WireException.class, () -> codec.encode(tooDeep));
        assertTrue(enc.getMessage().contains("nests objects deeper than " + WireCodec.MAX_DEPTH), enc.getMessage());

        Output o = new Output(64 << 10, -1); // 20 000 nested one-element lists: a stack overflow without the cap
        for (int i = 0; i < 20_000; i++) {
            o.writeVarInt(200 + 2, true);
            o.writeVarIntFlag(false, 2, true);
        }
        refusedCheaply(o.toBytes(), "nests objects deeper than " + WireCodec.MAX_DEPTH, "20 000 nested lists");
    }

    @Test
    void classNamesOnTheWireAreRefused() {
        Output o = new Output(64, -1);
        o.writeVarInt(1, true); // Kryo's "class by name"
        o.writeVarInt(1, true);
        o.writeString("java.lang.Thread");
        refusedCheaply(o.toBytes(), "class given by name", "class name");
    }

    @Test
    void idsPrintInHexLikePvm() {
        assertEquals("t40001", new TaskId(0x40001).toString());
        assertEquals("40000(vm)", new HostId(0x40000, "vm").toString());
        assertEquals("Unknown", new HostId(0x80000, null).name());
        assertTrue(!new TaskId(-31).isValid());
        assertEquals(0x40000, new TaskId(0x40001).hostDtid());
    }
}
