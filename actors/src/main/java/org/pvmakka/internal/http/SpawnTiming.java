package org.pvmakka.internal.http;

/**
 * How long one user spawn took, from the spawner taking it up to its reply: published by the spawner on the actor
 * system's event stream once per user spawn, read by the {@link StatusFeed} for the spawn latency histogram.
 *
 * @param nanos request to reply
 * @param started tasks started
 * @param failed slots (or whole requests) that failed
 */
public record SpawnTiming(long nanos, int started, int failed) {
}
