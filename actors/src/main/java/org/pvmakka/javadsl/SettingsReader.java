package org.pvmakka.javadsl;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reads the keys of the {@code pvm-akka} section, each with its allowed range: the one place where
 * settings are validated. Every failure is a {@link PvmSettingsException} naming the key, the value
 * and what is allowed (a wrong type too).
 */
final class SettingsReader {
    private final Config c;

    SettingsReader(Config pvmAkkaSection) {
        this.c = pvmAkkaSection;
    }

    /** The value of {@code key} as written, for error messages. */
    String render(String key) {
        try {
            if (!c.hasPathOrNull(key)) {
                return "(missing)";
            }
            if (c.getIsNull(key)) {
                return "null";
            }
            ConfigValue v = c.getValue(key);
            return v.render(ConfigRenderOptions.concise());
        } catch (ConfigException e) {
            return "(unreadable)";
        }
    }

    PvmSettingsException bad(String key, String allowed) {
        return new PvmSettingsException(key, render(key), allowed);
    }

    private interface Read<T> {
        T get();
    }

    private <T> T read(String key, String allowed, Read<T> r) {
        try {
            return r.get();
        } catch (ConfigException e) {
            throw bad(key, allowed);
        }
    }

    /** A string, one of {@code allowed}. */
    String oneOf(String key, Set<String> allowed, String what) {
        String v = read(key, what, () -> c.getString(key));
        if (!allowed.contains(v)) {
            throw bad(key, what);
        }
        return v;
    }

    /** A non-empty string. */
    String nonEmpty(String key, String what) {
        String v = read(key, what, () -> c.getString(key));
        if (v.isBlank()) {
            throw bad(key, what);
        }
        return v;
    }

    /** "" or an absolute path. */
    String emptyOrAbsolutePath(String key, String what) {
        String allowed = "\"\" (" + what + ") or an absolute path";
        String v = read(key, allowed, () -> c.getString(key));
        if (!v.isEmpty() && !v.startsWith("/")) {
            throw bad(key, allowed);
        }
        return v;
    }

    boolean bool(String key) {
        return read(key, "must be on or off (true/false)", () -> c.getBoolean(key));
    }

    int intIn(String key, int min, int max) {
        String allowed = "must be a whole number from " + min + " to " + max;
        int v = read(key, allowed, () -> c.getInt(key));
        double exact = read(key, allowed, () -> c.getNumber(key)).doubleValue();
        if (v < min || v > max || exact != v) {
            throw bad(key, allowed);
        }
        return v;
    }

    /** A size in bytes, 0 (when {@code zeroAllowed}) or from min to max. */
    int bytesIn(String key, boolean zeroAllowed, long min, long max) {
        String allowed = "must be a size " + (zeroAllowed ? "of 0 or " : "") + "from " + size(min) + " to "
                + size(max) + " (e.g. 64 KiB)";
        long v = read(key, allowed, () -> c.getBytes(key));
        if (!(zeroAllowed && v == 0) && (v < min || v > max)) {
            throw bad(key, allowed);
        }
        return (int) v;
    }

    Duration durationIn(String key, Duration min, Duration max) {
        String allowed = "must be a duration from " + text(min) + " to " + text(max) + " (e.g. 30s, 500ms)";
        Duration v = read(key, allowed, () -> c.getDuration(key));
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw bad(key, allowed);
        }
        return v;
    }

    /** "" or a duration from min to max. */
    Duration emptyOrDurationIn(String key, Duration min, Duration max, String emptyMeans) {
        String allowed = "must be \"\" (" + emptyMeans + ") or a duration from " + text(min) + " to " + text(max);
        String s = read(key, allowed, () -> c.getString(key));
        if (s.isEmpty()) {
            return null;
        }
        Duration v = read(key, allowed, () -> c.getDuration(key));
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw bad(key, allowed);
        }
        return v;
    }

    /** A list of non-blank strings. */
    List<String> strings(String key, String what) {
        String allowed = "must be a list of non-empty strings (" + what + ")";
        List<String> v = read(key, allowed, () -> c.getStringList(key));
        for (String s : v) {
            if (s.isBlank()) {
                throw bad(key, allowed);
            }
        }
        return v;
    }

    /** An object (its keys are checked by the caller). */
    Config object(String key, String what) {
        return read(key, what, () -> c.getConfig(key));
    }

    static String text(Duration d) {
        if (d.toMillis() % 86_400_000 == 0) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "min";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    private static String size(long b) {
        if (b >= 1 << 30 && b % (1 << 30) == 0) {
            return (b >> 30) + " GiB";
        }
        if (b >= 1 << 20 && b % (1 << 20) == 0) {
            return (b >> 20) + " MiB";
        }
        if (b >= 1 << 10 && b % (1 << 10) == 0) {
            return (b >> 10) + " KiB";
        }
        return b + " bytes";
    }
}
