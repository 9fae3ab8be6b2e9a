package org.pvmakka.internal.bridge;

/**
 * Tells the thread that owns a {@link Pvm} when a message may be waiting, so that it can drain
 * with {@link Pvm#receive receive(ANY, ANY, 0)} instead of blocking in a receive or polling on a
 * timer. Made by {@link Pvm#watchInbound}. The owner drains until nothing is left, then calls
 * {@link #arm()}; the watcher calls its callback once, from any thread, as soon as a message may
 * be waiting (at once when one already is), and stays quiet until the next {@link #arm()}.
 */
public interface InboundWatcher extends AutoCloseable {

    /**
     * Watch for the next inbound message. Called on the owner thread, after a drain found nothing
     * more to receive.
     */
    void arm();

    /** Stop watching until the next {@link #arm()}. Any thread. */
    void disarm();

    /** Stop watching for good and release what the watcher holds. Idempotent. */
    @Override
    void close();
}
