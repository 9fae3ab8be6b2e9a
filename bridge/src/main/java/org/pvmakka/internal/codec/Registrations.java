package org.pvmakka.internal.codec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.pvmakka.task.WireException;
import org.pvmakka.task.WireRegistry;

/** The class-to-ID table registrars fill; IDs and classes must both be unique. */
final class Registrations implements WireRegistry {

    private final Map<Integer, Class<?>> byId = new TreeMap<>();
    private final int minId;

    Registrations(int minId) {
        this.minId = minId;
    }

    /**
     * Registers a class under an explicit ID.
     *
     * @throws WireException when the ID is reserved or either the ID or the class is taken
     */
    @Override
    public WireRegistry register(Class<?> type, int id) {
        if (type == null) {
            throw new WireException("cannot register a null class");
        }
        if (id < minId) {
            throw new WireException("wire ID " + id + " for " + type.getName() + " is reserved for the runtime; use "
                    + WireRegistry.FIRST_USER_ID + " or above");
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
