package org.pvmakka.internal.wire;

/**
 * What the built-in reporter task measures on its host.
 *
 * @param hostName the host's name as the worker sees it
 * @param cores CPU cores available to a JVM there
 */
public record HostReport(String hostName, int cores) {
}
