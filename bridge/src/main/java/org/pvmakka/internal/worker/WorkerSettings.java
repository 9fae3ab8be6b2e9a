package org.pvmakka.internal.worker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvmakka.internal.codec.WireSettings;

/**
 * How a worker was started, as the spawner passed it in {@code -D} options of the worker command:
 * the wire settings, the spawner's wire fingerprint and how long to wait for the spawn payload.
 *
 * @param wire the wire settings to build the worker's codec from
 * @param expectedFingerprint the spawner's codec fingerprint, or null when not given
 * @param payloadTimeoutSeconds how long to wait for the {@code SpawnRequest}
 */
public record WorkerSettings(WireSettings wire, String expectedFingerprint, double payloadTimeoutSeconds) {
    /** Seconds to wait for the payload when {@link WorkerMain#PROP_PAYLOAD_TIMEOUT} is not given. */
    public static final double DEFAULT_PAYLOAD_TIMEOUT = 120;

    public WorkerSettings {
        if (wire == null) {
            throw new IllegalArgumentException("wire settings are required");
        }
        if (!(payloadTimeoutSeconds > 0)) {
            throw new IllegalArgumentException("the payload timeout must be positive, got " + payloadTimeoutSeconds);
        }
    }

    /** The settings of this worker JVM, from its system properties. */
    public static WorkerSettings fromSystemProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        for (String k : List.of(WorkerMain.PROP_FINGERPRINT, WorkerMain.PROP_PAYLOAD_TIMEOUT)) {
            String v = System.getProperty(k);
            if (v != null) {
                props.put(k, v);
            }
        }
        return new WorkerSettings(WireSettings.fromSystemProperties(), props.get(WorkerMain.PROP_FINGERPRINT),
                timeout(props));
    }

    /** The settings in these properties, e.g. the {@code -D} options of {@link WorkerCommand#workerProperties}. */
    public static WorkerSettings fromProperties(Map<String, String> props) {
        return new WorkerSettings(WireSettings.fromProperties(props), props.get(WorkerMain.PROP_FINGERPRINT),
                timeout(props));
    }

    private static double timeout(Map<String, String> props) {
        String t = props.get(WorkerMain.PROP_PAYLOAD_TIMEOUT);
        return t == null ? DEFAULT_PAYLOAD_TIMEOUT : Double.parseDouble(t);
    }
}
