package org.pvmakka.internal.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.task.WireException;
import org.pvmakka.task.WireRegistrar;

/**
 * How to build the wire codec: the maximum message size and the user's registrations, by class
 * name so that they can be handed to worker JVMs as system properties.
 *
 * @param maxMessageBytes encoded messages larger than this are refused
 * @param registrars class names of {@link WireRegistrar}s, applied in order
 * @param classes user classes by name, with their wire IDs (applied after the registrars)
 */
public record WireSettings(int maxMessageBytes, List<String> registrars, Map<String, Integer> classes) {

    /** System property: the maximum message size in bytes. */
    public static final String PROP_MAX = "pvmakka.wire.max-message-bytes";
    /** System property: comma-separated registrar class names. */
    public static final String PROP_REGISTRARS = "pvmakka.wire.registrars";
    /** System property: comma-separated {@code class=id} pairs. */
    public static final String PROP_CLASSES = "pvmakka.wire.classes";
    /** 64 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

    public WireSettings {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        registrars = List.copyOf(registrars);
        classes = Map.copyOf(new LinkedHashMap<>(classes));
    }

    /** No user classes, default maximum. */
    public static WireSettings defaults() {
        return new WireSettings(DEFAULT_MAX_MESSAGE_BYTES, List.of(), Map.of());
    }

    public WireSettings withRegistrar(Class<? extends WireRegistrar> registrar) {
        List<String> r = new ArrayList<>(registrars);
        r.add(registrar.getName());
        return new WireSettings(maxMessageBytes, r, classes);
    }

    public WireSettings withClass(Class<?> type, int id) {
        Map<String, Integer> c = new LinkedHashMap<>(classes);
        c.put(type.getName(), id);
        return new WireSettings(maxMessageBytes, registrars, c);
    }

    public WireSettings withMaxMessageBytes(int max) {
        return new WireSettings(max, registrars, classes);
    }

    /** These settings as {@code -Dkey=value} JVM options for a worker. */
    public List<String> toJvmOptions() {
        List<String> out = new ArrayList<>();
        out.add("-D" + PROP_MAX + "=" + maxMessageBytes);
        if (!registrars.isEmpty()) {
            out.add("-D" + PROP_REGISTRARS + "=" + String.join(",", registrars));
        }
        if (!classes.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            classes.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> pairs.add(e.getKey() + "=" + e.getValue()));
            out.add("-D" + PROP_CLASSES + "=" + String.join(",", pairs));
        }
        return out;
    }

    /** Reads the settings a spawner passed with {@link #toJvmOptions()} from this JVM's system properties. */
    public static WireSettings fromSystemProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        for (String k : List.of(PROP_MAX, PROP_REGISTRARS, PROP_CLASSES)) {
            String v = System.getProperty(k);
            if (v != null) {
                props.put(k, v);
            }
        }
        return fromProperties(props);
    }

    /**
     * Reads the settings a spawner passed with {@link #toJvmOptions()} from properties (for example
     * the {@code -D} options of a worker command line); missing keys take the defaults.
     */
    public static WireSettings fromProperties(Map<String, String> props) {
        int max = Integer.parseInt(props.getOrDefault(PROP_MAX, String.valueOf(DEFAULT_MAX_MESSAGE_BYTES)));
        List<String> regs = new ArrayList<>();
        for (String s : props.getOrDefault(PROP_REGISTRARS, "").split(",")) {
            if (!s.isBlank()) {
                regs.add(s.trim());
            }
        }
        Map<String, Integer> cls = new LinkedHashMap<>();
        for (String s : props.getOrDefault(PROP_CLASSES, "").split(",")) {
            if (s.isBlank()) {
                continue;
            }
            int eq = s.lastIndexOf('=');
            if (eq <= 0) {
                throw new WireException("bad " + PROP_CLASSES + " entry '" + s + "': expected class=id");
            }
            cls.put(s.substring(0, eq).trim(), Integer.parseInt(s.substring(eq + 1).trim()));
        }
        return new WireSettings(max, regs, cls);
    }
}
