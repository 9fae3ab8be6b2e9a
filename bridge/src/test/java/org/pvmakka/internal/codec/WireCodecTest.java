package org.pvmakka.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pvmakka.internal.wire.HostReport;
import org.pvmakka.internal.wire.PoolWire;
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
                new Sample(1, "b", new ArrayList<>(List.of(2.5))))) {
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
                HostReport.class)) {
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

    @Test
    void idsPrintInHexLikePvm() {
        assertEquals("t40001", new TaskId(0x40001).toString());
        assertEquals("40000(vm)", new HostId(0x40000, "vm").toString());
        assertEquals("Unknown", new HostId(0x80000, null).name());
        assertTrue(!new TaskId(-31).isValid());
        assertEquals(0x40000, new TaskId(0x40001).hostDtid());
    }
}
