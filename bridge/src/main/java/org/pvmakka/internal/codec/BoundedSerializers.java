package org.pvmakka.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Kryo's serializers for the types that allocate by a length read from the message (reference
 * arrays, {@code boolean[]}, collections, maps), each claiming that length from the
 * {@link BoundedInput} before it allocates. {@link #install} makes them the defaults for every
 * class registered afterwards, the runtime's and the user's (any {@code Collection} or
 * {@code Map} type); strings and the other primitive arrays are read through the input itself.
 */
final class BoundedSerializers {
    private BoundedSerializers() {
    }

    /** Makes these the default serializers of {@code kryo} (call before registering classes). */
    static void install(Kryo kryo) {
        kryo.addDefaultSerializer(boolean[].class, new Claimed<>(new BooleanArraySerializer(), "a boolean array"));
        kryo.addDefaultSerializer(String[].class, new Claimed<>(new StringArraySerializer(), "a String array"));
        kryo.addDefaultSerializer(Object[].class, new SerializerFactory.BaseSerializerFactory<Serializer<?>>() {
            @Override
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new Claimed<>(new ObjectArraySerializer(k, type), "an array of " + type.getComponentType().getName());
            }
        });
        kryo.addDefaultSerializer(Collection.class, BoundedCollection.class);
        kryo.addDefaultSerializer(Map.class, BoundedMap.class);
        // the more specific serializers Kryo has for collections and maps (the general ones above
        // would shadow them): those that allocate by length, bounded; the others as they are
        kryo.addDefaultSerializer(TreeSet.class, BoundedTreeSet.class);
        kryo.addDefaultSerializer(PriorityQueue.class, BoundedPriorityQueue.class);
        kryo.addDefaultSerializer(Arrays.asList().getClass(), BoundedArraysAsList.class);
        kryo.addDefaultSerializer(TreeMap.class, BoundedTreeMap.class);
        kryo.addDefaultSerializer(ConcurrentSkipListMap.class, BoundedConcurrentSkipListMap.class);
        kryo.addDefaultSerializer(EnumSet.class, DefaultSerializers.EnumSetSerializer.class);
        kryo.addDefaultSerializer(Collections.EMPTY_LIST.getClass(), DefaultSerializers.CollectionsEmptyListSerializer.class);
        kryo.addDefaultSerializer(Collections.EMPTY_MAP.getClass(), DefaultSerializers.CollectionsEmptyMapSerializer.class);
        kryo.addDefaultSerializer(Collections.EMPTY_SET.getClass(), DefaultSerializers.CollectionsEmptySetSerializer.class);
        kryo.addDefaultSerializer(Collections.singletonList(null).getClass(),
                DefaultSerializers.CollectionsSingletonListSerializer.class);
        kryo.addDefaultSerializer(Collections.singletonMap(null, null).getClass(),
                DefaultSerializers.CollectionsSingletonMapSerializer.class);
        kryo.addDefaultSerializer(Collections.singleton(null).getClass(),
                DefaultSerializers.CollectionsSingletonSetSerializer.class);
        // java.util.ImmutableCollections (List.of, Set.of, Map.of), in place of Kryo's final ones
        for (Class<?> c : List.of(List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3, 4).getClass(),
                List.of(1, 2, 3, 4).subList(0, 2).getClass())) {
            kryo.addDefaultSerializer(c, ImmutableList.class);
        }
        for (Class<?> c : List.of(Set.of().getClass(), Set.of(1).getClass(), Set.of(1, 2, 3, 4).getClass())) {
            kryo.addDefaultSerializer(c, ImmutableSet.class);
        }
        for (Class<?> c : List.of(Map.of().getClass(), Map.of(1, 2).getClass(), Map.of(1, 2, 3, 4).getClass())) {
            kryo.addDefaultSerializer(c, ImmutableMap.class);
        }
    }

    private static final Object SPARSE = new Object();

    /** Notes a collection written in no more bytes than it has elements (only such can exceed a decode's budget). */
    static void noteSparse(Kryo kryo, long bytes, int size) {
        if (bytes <= size) {
            kryo.getContext().put(SPARSE, Boolean.TRUE);
        }
    }

    /** Whether a sparse collection was written since the last call. */
    static boolean takeSparse(Kryo kryo) {
        return kryo.getContext().remove(SPARSE) != null;
    }

    private static String name(Class<?> type) {
        return type == null ? "a collection" : "a " + type.getName();
    }

    /** An array serializer that claims the array's length (its first varint, plus one) before reading. */
    static final class Claimed<T> extends Serializer<T> {
        private final Serializer<T> inner;
        private final String what;

        Claimed(Serializer<T> inner, String what) {
            super(inner.getAcceptsNull(), inner.isImmutable());
            this.inner = inner;
            this.what = what;
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            inner.write(kryo, output, object);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            int start = input.position();
            int n = input.readVarInt(true);
            input.setPosition(start);
            if (n > 0) { // 0 is null
                BoundedInput.claim(input, n - 1, 1, what);
            }
            return inner.read(kryo, input, type);
        }

        @Override
        public T copy(Kryo kryo, T original) {
            return inner.copy(kryo, original);
        }
    }

    /** Any {@code Collection} (its elements may encode in no byte: only the message's budget binds them). */
    public static class BoundedCollection<T extends Collection> extends CollectionSerializer<T> {
        @Override
        public void write(Kryo kryo, Output output, T collection) {
            long start = output.total();
            super.write(kryo, output, collection);
            noteSparse(kryo, output.total() - start, collection.size());
        }

        @Override
        protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
            BoundedInput.claim(input, size, 0, name(type));
            return super.create(kryo, input, type, size);
        }
    }

    /** Any {@code Map}. */
    public static class BoundedMap<T extends Map> extends MapSerializer<T> {
        @Override
        protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
            BoundedInput.claim(input, size, 0, name(type));
            return super.create(kryo, input, type, size);
        }
    }

    public static class BoundedTreeSet extends DefaultSerializers.TreeSetSerializer {
        @Override
        public void write(Kryo kryo, Output output, TreeSet collection) {
            long start = output.total();
            super.write(kryo, output, collection);
            noteSparse(kryo, output.total() - start, collection.size());
        }

        @Override
        protected TreeSet create(Kryo kryo, Input input, Class<? extends TreeSet> type, int size) {
            BoundedInput.claim(input, size, 0, name(type));
            return super.create(kryo, input, type, size);
        }
    }

    public static class BoundedPriorityQueue extends DefaultSerializers.PriorityQueueSerializer {
        @Override
        public void write(Kryo kryo, Output output, PriorityQueue collection) {
            long start = output.total();
            super.write(kryo, output, collection);
            noteSparse(kryo, output.total() - start, collection.size());
        }

        @Override
        protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
            BoundedInput.claim(input, size, 0, name(type));
            return super.create(kryo, input, type, size);
        }
    }

    public static class BoundedArraysAsList extends DefaultSerializers.ArraysAsListSerializer {
        @Override
        public void write(Kryo kryo, Output output, List collection) {
            long start = output.total();
            super.write(kryo, output, collection);
            noteSparse(kryo, output.total() - start, collection.size());
        }

        @Override
        protected List create(Kryo kryo, Input input, Class type, int size) {
            BoundedInput.claim(input, size, 0, "an Arrays.asList list");
            return super.create(kryo, input, type, size);
        }
    }

    public static class BoundedTreeMap extends DefaultSerializers.TreeMapSerializer {
        @Override
        protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
            BoundedInput.claim(input, size, 0, name(type));
            return super.create(kryo, input, type, size);
        }
    }

    public static class BoundedConcurrentSkipListMap extends DefaultSerializers.ConcurrentSkipListMapSerializer {
        @Override
        protected ConcurrentSkipListMap create(Kryo kryo, Input input, Class<? extends ConcurrentSkipListMap> type,
                int size) {
            BoundedInput.claim(input, size, 0, name(type));
            return super.create(kryo, input, type, size);
        }
    }

    /** {@code List.of(...)}: read as an {@code ArrayList}, then made immutable (as Kryo's own does). */
    public static class ImmutableList extends CollectionSerializer<List<Object>> {
        @Override
        public void write(Kryo kryo, Output output, List<Object> collection) {
            long start = output.total();
            super.write(kryo, output, collection);
            noteSparse(kryo, output.total() - start, collection.size());
        }

        public ImmutableList() {
            setElementsCanBeNull(false);
        }

        @Override
        protected List<Object> create(Kryo kryo, Input input, Class<? extends List<Object>> type, int size) {
            BoundedInput.claim(input, size, 0, "an immutable list");
            return new ArrayList<>(size);
        }

        @Override
        protected List<Object> createCopy(Kryo kryo, List<Object> original) {
            return new ArrayList<>(original.size());
        }

        @Override
        public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
            List<Object> list = super.read(kryo, input, type);
            return list == null ? null : List.of(list.toArray());
        }

        @Override
        public List<Object> copy(Kryo kryo, List<Object> original) {
            return List.copyOf(super.copy(kryo, original));
        }
    }

    /** {@code Set.of(...)}. */
    public static class ImmutableSet extends CollectionSerializer<Set<Object>> {
        @Override
        public void write(Kryo kryo, Output output, Set<Object> collection) {
            long start = output.total();
            super.write(kryo, output, collection);
            noteSparse(kryo, output.total() - start, collection.size());
        }

        public ImmutableSet() {
            setElementsCanBeNull(false);
        }

        @Override
        protected Set<Object> create(Kryo kryo, Input input, Class<? extends Set<Object>> type, int size) {
            BoundedInput.claim(input, size, 0, "an immutable set");
            return new HashSet<>();
        }

        @Override
        protected Set<Object> createCopy(Kryo kryo, Set<Object> original) {
            return new HashSet<>();
        }

        @Override
        public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
            Set<Object> set = super.read(kryo, input, type);
            return set == null ? null : Set.of(set.toArray());
        }

        @Override
        public Set<Object> copy(Kryo kryo, Set<Object> original) {
            return Set.copyOf(super.copy(kryo, original));
        }
    }

    /** {@code Map.of(...)}. */
    public static class ImmutableMap extends MapSerializer<Map<Object, Object>> {
        public ImmutableMap() {
            setKeysCanBeNull(false);
            setValuesCanBeNull(false);
        }

        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
            BoundedInput.claim(input, size, 0, "an immutable map");
            return new HashMap<>();
        }

        @Override
        protected Map<Object, Object> createCopy(Kryo kryo, Map<Object, Object> original) {
            return new HashMap<>();
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            Map<Object, Object> map = super.read(kryo, input, type);
            return map == null ? null : Map.copyOf(map);
        }

        @Override
        public Map<Object, Object> copy(Kryo kryo, Map<Object, Object> original) {
            return Map.copyOf(super.copy(kryo, original));
        }
    }
}
