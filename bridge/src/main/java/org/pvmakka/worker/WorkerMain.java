package org.pvmakka.worker;

import java.io.PrintStream;
import org.pvmakka.bridge.Pvm;
import org.pvmakka.bridge.jna.JnaPvm;
import org.pvmakka.bridge.jna.JnaPvmOptions;

/**
 * The worker JVM that {@code pvm_spawn} starts: reads its {@link WorkerSettings} from system
 * properties, opens libpvm and runs one {@link WorkerRuntime} on the main thread, then exits with
 * its code: 0 done, 2 bad start (not spawned by PVM, bad configuration), 3 no payload in time, 4
 * lost the pvmd, 5 parent exited.
 */
public final class WorkerMain {
    /** System property: seconds to wait for the spawn payload (default 120). */
    public static final String PROP_PAYLOAD_TIMEOUT = "pvmakka.worker.payload-timeout";
    /** System property: the spawner's wire fingerprint; a mismatch fails the task at once. */
    public static final String PROP_FINGERPRINT = "pvmakka.wire.fingerprint";

    private static final PrintStream ERR = System.err;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            WorkerSettings settings = WorkerSettings.fromSystemProperties();
            Pvm pvm = JnaPvm.open(JnaPvmOptions.defaults().withAllowRoot(true)
                    .withMaxMessageBytes(settings.wire().maxMessageBytes()));
            code = new WorkerRuntime(pvm, settings, WorkerEnvironment.ofThisJvm()).run();
        } catch (RuntimeException | Error e) {
            ERR.println("pvm-akka worker: " + e);
            code = WorkerRuntime.EXIT_BAD_START;
        }
        ERR.flush();
        System.exit(code);
    }
}
