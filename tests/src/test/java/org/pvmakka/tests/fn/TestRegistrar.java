package org.pvmakka.tests.fn;

import org.pvmakka.task.WireRegistrar;
import org.pvmakka.task.WireRegistry;

/** Registers the tests' own wire types. */
public final class TestRegistrar implements WireRegistrar {
    @Override
    public void registerClasses(WireRegistry registry) {
        registry.register(Point.class, 1000);
    }
}
