package org.pvmakka.tests.fn;

/** A user wire type, registered by {@link TestRegistrar}. */
public record Point(double x, double y, String label) {
}
