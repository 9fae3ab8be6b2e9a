package org.pvmakka.bridge.codec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The class-to-ID table registrars fill; IDs and classes must both be unique. */
public final class WireRegistry {
    /** The first ID available to user classes; lower IDs are the runtime's. */
    public static final int FIRST_USER_ID = 1000;

    private final Map<Integer, Class<?>> byId = new TreeMap<>();
    private final int minId;

    WireRegistry(int minId) {
        this.minId = minId;
    }

    /**
     * Registers a class under an explicit ID.
     *
     * @throws WireException when the ID is reserved or either the ID or the class is taken
     */
    public WireRegistry register(Class<?> type, int id) {
        if (type == null) {
            throw new WireException("cannot register a null class");
        }
        if (id < minId) {
            throw new WireException("wire ID " + id + " for " + type.getName() + " is reserved for the runtime; use "
                    + FIRST_USER_ID + " or above");
        }
        Class<?> prev = byId.get(id);
        if (prev != null && prev != type) {
            throw new WireException("wire ID " + id + " is taken by " + prev.getName() + ", cannot also register "
                    + type.getName());
        }
        for (Map.Entry<Integer, Class<?>> e : byId.entrySet()) {
            if (e.getValue() == type && e.getKey() != id) {
                throw new WireException(type.getName() + " is already registered with wire ID " + e.getKey());
            }
        }
        byId.put(id, type);
        return this;
    }

    Map<Integer, Class<?>> entries() {
        return Collections.unmodifiableMap(byId);
    }
}
