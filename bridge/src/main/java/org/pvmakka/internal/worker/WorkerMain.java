package org.pvmakka.internal.worker;

import java.io.PrintStream;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.PvmOption;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;

/**
 * The worker JVM that {@code pvm_spawn} starts: reads its {@link WorkerSettings} from system
 * properties, opens libpvm (with the spawner's routing and fragment size) and runs one
 * {@link WorkerRuntime} on the main thread, then exits with its code: 0 done, 2 bad start (not
 * spawned by PVM, bad configuration), 3 no payload in time, 4 lost the pvmd, 5 parent exited.
 */
public final class WorkerMain {
    /** System property: seconds to wait for the spawn payload (default 120). */
    public static final String PROP_PAYLOAD_TIMEOUT = "pvmakka.worker.payload-timeout";
    /** System property: the spawner's wire fingerprint; a mismatch fails the task at once. */
    public static final String PROP_FINGERPRINT = "pvmakka.wire.fingerprint";
    /**
     * System property: the worker's PVM routing, as the runtime's {@code pvm-akka.route} setting
     * ({@code pvmd}, {@code allow-direct} or {@code direct}); absent keeps libpvm's default.
     */
    public static final String PROP_ROUTE = "pvmakka.route";
    /** System property: {@code PvmFragSize} in bytes (0 keeps libpvm's 4 KiB); absent = 64 KiB. */
    public static final String PROP_FRAGMENT_SIZE = "pvmakka.fragment-size";

    private static final PrintStream ERR = System.err;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            WorkerSettings settings = WorkerSettings.fromSystemProperties();
            int route = routeOption(System.getProperty(PROP_ROUTE));
            Pvm pvm = JnaPvm.open(JnaPvmOptions.defaults().withAllowRoot(true)
                    .withMaxMessageBytes(settings.wire().maxMessageBytes())
                    .withFragmentSize(Integer.getInteger(PROP_FRAGMENT_SIZE, JnaPvmOptions.DEFAULT_FRAGMENT_SIZE)));
            if (route != 0) {
                pvm.setOption(PvmOption.ROUTE, route); // enrolls; the runtime then finds this process enrolled
            }
            code = new WorkerRuntime(pvm, settings, WorkerEnvironment.ofThisJvm()).run();
        } catch (RuntimeException | Error e) {
            ERR.println("pvm-akka worker: " + e);
            code = WorkerRuntime.EXIT_BAD_START;
        }
        ERR.flush();
        System.exit(code);
    }

    /**
     * The {@code pvm_setopt(PvmRoute)} value of a route name, 0 for none.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static int routeOption(String name) {
        if (name == null || name.isEmpty()) {
            return 0;
        }
        return switch (name) {
            case "pvmd" -> PvmOption.DONT_ROUTE;
            case "allow-direct" -> PvmOption.ALLOW_DIRECT;
            case "direct" -> PvmOption.ROUTE_DIRECT;
            default -> throw new IllegalArgumentException("route must be pvmd, allow-direct or direct, got '" + name + "'");
        };
    }
}
