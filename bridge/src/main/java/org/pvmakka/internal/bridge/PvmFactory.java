package org.pvmakka.internal.bridge;

/**
 * Opens a {@link Pvm} owned by the calling thread: the JNA binding ({@code JnaPvm::open} with its
 * options) or a process of a simulated virtual machine ({@code SimulatedCluster::attach}). The
 * runtime's bridge actor calls it once, on its own thread.
 */
@FunctionalInterface
public interface PvmFactory {
    /** A new, not yet enrolled {@link Pvm} bound to the calling thread. */
    Pvm open();
}
