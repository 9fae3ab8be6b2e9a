package org.pvmakka.internal.actors;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last output of each live task, kept so that a task that dies without its result can say why
 * (a JVM option it did not know, a class it could not load, a stack trace). A bounded ring per
 * task ({@link #MAX_BYTES}), allocated on its first output and dropped when the task ends; the
 * tail gives at most {@link #MAX_LINES} lines of it.
 */
final class OutputTails {
    static final int MAX_BYTES = 4096;
    static final int MAX_LINES = 20;

    /** A circular buffer of the last {@link #MAX_BYTES} bytes. */
    private static final class Ring {
        final byte[] buf = new byte[MAX_BYTES];
        long written;

        void append(byte[] data, int off, int len) {
            if (len >= MAX_BYTES) {
                System.arraycopy(data, off + len - MAX_BYTES, buf, 0, MAX_BYTES);
                written = MAX_BYTES * ((written / MAX_BYTES) + 1); // next write starts at 0
                return;
            }
            int at = (int) (written % MAX_BYTES);
            int first = Math.min(len, MAX_BYTES - at);
            System.arraycopy(data, off, buf, at, first);
            System.arraycopy(data, off + first, buf, 0, len - first);
            written += len;
        }

        byte[] bytes() {
            int n = (int) Math.min(written, MAX_BYTES);
            byte[] out = new byte[n];
            int start = written <= MAX_BYTES ? 0 : (int) (written % MAX_BYTES);
            int first = Math.min(n, MAX_BYTES - start);
            System.arraycopy(buf, start, out, 0, first);
            System.arraycopy(buf, 0, out, first, n - first);
            return out;
        }
    }

    private final Map<Integer, Ring> rings = new HashMap<>();

    void append(int tid, byte[] data, int off, int len) {
        if (len > 0) {
            rings.computeIfAbsent(tid, t -> new Ring()).append(data, off, len);
        }
    }

    /**
     * The last lines the task printed (stdout and stderr, as its pvmd forwarded them), joined by
     * newlines; "" when it printed nothing. A first line cut by the byte bound starts with "...".
     */
    String tail(int tid) {
        Ring r = rings.get(tid);
        if (r == null) {
            return "";
        }
        String text = new String(r.bytes(), StandardCharsets.UTF_8).replace("\r", "").strip();
        List<String> lines = text.lines().toList();
        boolean cut = r.written > MAX_BYTES || lines.size() > MAX_LINES;
        List<String> last = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
        return (cut ? "..." : "") + String.join("\n", last);
    }

    void drop(int tid) {
        rings.remove(tid);
    }

    void clear() {
        rings.clear();
    }

    /** How many tasks have output kept (for tests). */
    int size() {
        return rings.size();
    }
}
