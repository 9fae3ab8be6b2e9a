package org.pvmakka.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.Pool;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
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

/**
 * The wire codec: Kryo 5 with registration required and explicit IDs, references off, pooled
 * instances (thread-safe). The spawner and every worker build it from the same
 * {@link WireSettings}, so they agree on every ID ({@link #fingerprint()} tells). Unregistered
 * classes are refused on both sides; Kryo never instantiates a class that is not registered.
 * Decoding is bounded whatever the bytes claim: no length is allocated that the rest of the
 * message cannot hold ({@link BoundedInput}), graphs nest at most {@link #MAX_DEPTH} deep, and
 * class names on the wire are refused.
 */
public final class WireCodec {
    private static final Pattern UNREGISTERED = Pattern.compile("Class is not registered: ([^\\s]+)");

    private static final Class<?> ARRAYS_AS_LIST = Arrays.asList(1).getClass();

    private final int maxMessageBytes;
    private final Map<Integer, Class<?>> registrations;
    private final String fingerprint;
    private final Pool<Coder> pool;

    /** Output buffers up to this size are kept for the next message; larger ones are dropped after use. */
    static final int RETAINED_OUTPUT_BYTES = 4 << 20;
    private static final int INITIAL_OUTPUT_BYTES = 256;
    /** Objects nest at most this deep (both ways), far from a stack overflow. */
    public static final int MAX_DEPTH = 256;

    /** A pooled Kryo with its own output buffer, which keeps the size it grew to (up to the retained size). */
    private static final class Coder {
        final Kryo kryo;
        final Output output;

        Coder(Kryo kryo, int maxMessageBytes) {
            this.kryo = kryo;
            this.output = new Output(Math.min(INITIAL_OUTPUT_BYTES, maxMessageBytes), maxMessageBytes);
        }
    }

    /** Builds the codec; fails with a {@link WireException} naming any bad registration. */
    public WireCodec(WireSettings settings) {
        this(settings, Map.of());
    }

    /**
     * Builds the codec, using the given registrar instances (by class name) instead of new
     * instances of those classes; fails with a {@link WireException} naming any bad registration.
     */
    public WireCodec(WireSettings settings, Map<String, ? extends WireRegistrar> instances) {
        this.maxMessageBytes = settings.maxMessageBytes();
        Registrations core = new Registrations(0);
        registerCore(core);
        Registrations user = new Registrations(WireRegistry.FIRST_USER_ID);
        for (String name : settings.registrars()) {
            WireRegistrar given = instances.get(name);
            (given != null ? given : instantiate(name)).registerClasses(user);
        }
        for (Map.Entry<String, Integer> e : settings.classes().entrySet()) {
            user.register(load(e.getKey()), e.getValue());
        }
        Map<Integer, Class<?>> all = new TreeMap<>(core.entries());
        all.putAll(user.entries());
        this.registrations = Collections.unmodifiableMap(all);
        this.fingerprint = computeFingerprint(all);
        this.pool = new Pool<>(true, false, 16) {
            @Override
            protected Coder create() {
                return new Coder(newKryo(), maxMessageBytes);
            }
        };
        pool.free(pool.obtain()); // fail now, not on the first message, if Kryo rejects a class
    }

    /** A codec with only the runtime's own types. */
    public static WireCodec defaults() {
        return new WireCodec(WireSettings.defaults());
    }

    /** The runtime's own wire types (IDs below {@link WireRegistry#FIRST_USER_ID}). */
    static void registerCore(WireRegistry r) {
        // runtime protocol
        r.register(TaskId.class, 100);
        r.register(HostId.class, 101);
        r.register(SpawnRequest.class, 102);
        r.register(WireResult.class, 103);
        r.register(RemoteError.class, 104);
        r.register(HostReport.class, 105);
        // job pools
        r.register(PoolWire.Hello.class, 120);
        r.register(PoolWire.Job.class, 121);
        r.register(PoolWire.Jobs.class, 122);
        r.register(PoolWire.Result.class, 123);
        r.register(PoolWire.Results.class, 124);
        r.register(PoolWire.Stop.class, 125);
        r.register(FlowWindow.class, 130);
        r.register(Credit.class, 131);
        r.register(Delivery.class, 132);
        r.register(Receipt.class, 133);
        // common JDK types users put in arguments, results and messages
        r.register(ArrayList.class, 200);
        r.register(LinkedList.class, 201);
        r.register(HashMap.class, 202);
        r.register(LinkedHashMap.class, 203);
        r.register(TreeMap.class, 204);
        r.register(HashSet.class, 205);
        r.register(LinkedHashSet.class, 206);
        r.register(TreeSet.class, 207);
        r.register(byte[].class, 210);
        r.register(int[].class, 211);
        r.register(long[].class, 212);
        r.register(double[].class, 213);
        r.register(float[].class, 214);
        r.register(boolean[].class, 215);
        r.register(char[].class, 216);
        r.register(short[].class, 217);
        r.register(String[].class, 218);
        r.register(Object[].class, 219);
        r.register(BigInteger.class, 220);
        r.register(BigDecimal.class, 221);
        r.register(UUID.class, 222);
        // java.util.List.of / Set.of / Map.of (hidden JDK classes; List.of() is a ListN in JDK 17)
        r.register(List.of(1).getClass(), 231);
        r.register(List.of(1, 2, 3).getClass(), 232);
        r.register(Set.of(1).getClass(), 234);
        r.register(Set.of(1, 2, 3).getClass(), 235);
        r.register(Map.of(1, 1).getClass(), 237);
        r.register(Map.of(1, 1, 2, 2).getClass(), 238);
        r.register(Collections.emptyList().getClass(), 239);
        r.register(Collections.emptyMap().getClass(), 240);
        r.register(Collections.emptySet().getClass(), 241);
        r.register(ARRAYS_AS_LIST, 242);
    }

    private Kryo newKryo() {
        Kryo kryo = new Kryo(new IdsOnlyClassResolver(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(MAX_DEPTH);
        BoundedSerializers.install(kryo);
        for (Map.Entry<Integer, Class<?>> e : registrations.entrySet()) {
            if (e.getValue() == UUID.class) {
                kryo.register(UUID.class, new DefaultSerializers.UUIDSerializer(), e.getKey());
            } else if (e.getValue() == ARRAYS_AS_LIST) {
                kryo.register(ARRAYS_AS_LIST, new BoundedSerializers.BoundedArraysAsList(), e.getKey());
            } else {
                kryo.register(e.getValue(), e.getKey());
            }
        }
        return kryo;
    }

    /** Reads classes by registered ID only: a class name on the wire (Kryo's unregistered form) is refused unread. */
    private static final class IdsOnlyClassResolver extends DefaultClassResolver {
        @Override
        protected Registration readName(Input input) {
            throw new KryoException("a class given by name (only registered class IDs are accepted)");
        }
    }

    private static WireRegistrar instantiate(String name) {
        Class<?> c = load(name);
        if (!WireRegistrar.class.isAssignableFrom(c)) {
            throw new WireException("registrar " + name + " does not implement " + WireRegistrar.class.getName());
        }
        try {
            return (WireRegistrar) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new WireException("registrar " + name + " needs a public no-argument constructor", e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : WireCodec.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new WireException("wire class " + name + " is not on the classpath", e);
        }
    }

    private static String computeFingerprint(Map<Integer, Class<?>> all) {
        CRC32 crc = new CRC32();
        for (Map.Entry<Integer, Class<?>> e : all.entrySet()) {
            crc.update((e.getKey() + "=" + e.getValue().getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Long.toHexString(crc.getValue());
    }

    /** A short hash of every registration (ID and class): equal on both sides or they disagree. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Every registered class by wire ID (Kryo's built-in primitives and String not included). */
    public Map<Integer, Class<?>> registrations() {
        return registrations;
    }

    /** The maximum encoded size. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Encodes an object graph.
     *
     * @throws WireException when a class in it is not registered (named in the message), the
     *     encoding is larger than the maximum, it nests deeper than {@link #MAX_DEPTH}, or a receiver
     *     would refuse it (more nulls in all-null collections than {@link BoundedInput} allows)
     */
    public byte[] encode(Object message) {
        Coder c = pool.obtain();
        Output out = c.output;
        byte[] bytes;
        boolean sparse;
        try {
            out.reset();
            BoundedSerializers.takeSparse(c.kryo);
            c.kryo.writeClassAndObject(out, message);
            bytes = out.toBytes();
            sparse = BoundedSerializers.takeSparse(c.kryo);
        } catch (KryoException | IllegalArgumentException e) {
            throw encodeError(message, e);
        } finally {
            if (out.getBuffer().length > RETAINED_OUTPUT_BYTES) {
                out.setBuffer(new byte[Math.min(INITIAL_OUTPUT_BYTES, maxMessageBytes)], maxMessageBytes);
            }
            pool.free(c);
        }
        if (sparse) { // a collection with fewer bytes than elements: would the receiver take it?
            try {
                decode(bytes);
            } catch (WireException e) {
                throw new WireException("cannot send " + message.getClass().getName() + ": a receiver would refuse it ("
                        + e.getMessage() + "); send fewer nulls or empty values", e);
            }
        }
        return bytes;
    }

    private WireException encodeError(Object message, RuntimeException e) {
        String what = message == null ? "null" : message.getClass().getName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            Matcher matcher = UNREGISTERED.matcher(m);
            if (matcher.find()) {
                String cls = matcher.group(1);
                if (!cls.contains(".")) {
                    cls = "java.lang." + cls; // Kryo abbreviates java.lang names
                }
                return new WireException("cannot send " + what + ": class " + cls
                        + " is not registered for the wire (register it with a WireRegistrar or in"
                        + " pvm-akka.wire.classes with an ID >= " + WireRegistry.FIRST_USER_ID + ")", e);
            }
            if (m.startsWith("Max depth exceeded")) {
                return new WireException("cannot send " + what + ": it nests objects deeper than " + MAX_DEPTH
                        + " levels", e);
            }
            if (m.contains("Buffer overflow")) {
                return new WireException("cannot send " + what + ": its encoding exceeds the maximum message size of "
                        + maxMessageBytes + " bytes", e);
            }
        }
        return new WireException("cannot encode " + what + ": " + e.getMessage(), e);
    }

    /**
     * Decodes what {@link #encode} produced.
     *
     * @throws WireException for oversize, truncated or garbage input, an unregistered class ID, a
     *     length the message cannot hold, or nesting deeper than {@link #MAX_DEPTH}
     */
    public Object decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes what {@link #encode} produced, found at {@code offset} in {@code data} (a message of a
     * {@link org.pvmakka.internal.wire.MessageBatch}).
     *
     * @throws WireException for oversize, truncated or garbage input, an unregistered class ID, a
     *     length the message cannot hold, or nesting deeper than {@link #MAX_DEPTH}
     */
    public Object decode(byte[] data, int offset, int length) {
        if (length > maxMessageBytes) {
            throw new WireException("refused to decode " + length + " bytes: over the maximum message size of "
                    + maxMessageBytes + " bytes");
        }
        Coder c = pool.obtain();
        try (Input in = new BoundedInput(data, offset, length)) {
            Object o = c.kryo.readClassAndObject(in);
            if (in.position() != offset + length) {
                throw new WireException("malformed message: " + (offset + length - in.position()) + " trailing bytes after a "
                        + (o == null ? "null" : o.getClass().getName()));
            }
            return o;
        } catch (WireException e) {
            throw e;
        } catch (RuntimeException e) { // Kryo's, and whatever a constructor or collection threw on forged content
            String why = firstLine(e.getMessage());
            if (why.startsWith("Max depth exceeded")) {
                why = "it nests objects deeper than " + MAX_DEPTH + " levels";
            }
            throw new WireException("malformed message of " + length + " bytes: " + why, e);
        } finally {
            pool.free(c);
        }
    }

    /** Decodes and checks the type. */
    public <T> T decode(byte[] data, Class<T> type) {
        Object o = decode(data);
        if (!type.isInstance(o)) {
            throw new WireException("expected a " + type.getName() + ", got " + (o == null ? "null" : o.getClass().getName()));
        }
        return type.cast(o);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
