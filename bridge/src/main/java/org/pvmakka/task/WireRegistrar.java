package org.pvmakka.task;

/**
 * Registers a user's wire classes with explicit IDs (from {@link WireRegistry#FIRST_USER_ID} up).
 * Implementations need a public no-argument constructor: the spawner and every worker JVM build
 * identical registrations by instantiating the same registrars by class name.
 */
@FunctionalInterface
public interface WireRegistrar {
    /**
     * Registers classes, e.g. {@code registry.register(Point.class, 1000)}.
     *
     * @param registry the table to fill
     */
    void registerClasses(WireRegistry registry);
}
