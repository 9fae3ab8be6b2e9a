package org.pvmakka.task;

/** The class-to-ID table a {@link WireRegistrar} fills; IDs and classes must both be unique. */
public interface WireRegistry {
    /** The first ID available to user classes; lower IDs are the runtime's. */
    int FIRST_USER_ID = 1000;

    /**
     * Registers a class under an explicit ID.
     *
     * @param type the class
     * @param id its wire ID, {@link #FIRST_USER_ID} or above
     * @return this registry
     * @throws WireException when the ID is reserved or either the ID or the class is taken
     */
    WireRegistry register(Class<?> type, int id);
}
