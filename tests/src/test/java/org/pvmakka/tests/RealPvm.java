package org.pvmakka.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pvmakka.cli.LocalPvmd;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;

/**
 * JUnit 5 extension: one private pvmd per test JVM (failsafe forks a JVM per class), in a fresh
 * {@code PVM_TMP}, and a {@link JnaPvm} owned by the test thread. Stopped by PID at the end.
 */
public final class RealPvm implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    private static RealPvm instance;

    private LocalPvmd daemon;
    private JnaPvm pvm;

    /** The running daemon of this JVM. */
    public static LocalPvmd daemon() {
        return get().daemon;
    }

    /**
     * The enrolled Pvm of this JVM, opened on first use and owned by the calling thread. Do not
     * use it in a class that also runs the actor runtime: PVM enrollment is per process.
     */
    public static synchronized JnaPvm pvm() {
        RealPvm r = get();
        if (r.pvm == null) {
            r.pvm = JnaPvm.open(JnaPvmOptions.defaults().withPvmTmp(r.daemon.pvmTmp().toString()).withAllowRoot(true));
            r.pvm.mytid();
        }
        return r.pvm;
    }

    /** Configuration for a runtime attached to this JVM's pvmd, with the tests' wire registrar. */
    public static com.typesafe.config.Config runtimeConfig(String extra) {
        return com.typesafe.config.ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + daemon().pvmTmp() + "\"\n"
                + "pvm-akka.allow-root = on\n"
                + "pvm-akka.wire.registrars = [\"org.pvmakka.tests.fn.TestRegistrar\"]\n" + extra)
                .withFallback(com.typesafe.config.ConfigFactory.load());
    }

    /** The directory tests may write into. */
    public static Path workDir() {
        return Path.of(System.getProperty("pvmakka.test.work", "target/pvm-it"), String.valueOf(ProcessHandle.current().pid()))
                .toAbsolutePath();
    }

    private static synchronized RealPvm get() {
        if (instance == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(RealPvm.class)");
        }
        return instance;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        synchronized (RealPvm.class) {
            if (instance != null) {
                return;
            }
            RealPvm r = new RealPvm();
            Path tmp = workDir().resolve("pvmtmp");
            r.daemon = LocalPvmd.start(tmp, Map.of());
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(RealPvm.class, r);
            instance = r;
        }
    }

    @Override
    public void close() {
        try {
            if (pvm != null) {
                pvm.exit();
            }
        } catch (RuntimeException ignored) {
            // the daemon may be gone already, or another thread owns it
        }
        outliveDaemonShutdown();
        daemon.close();
    }

    /**
     * A stopping pvmd sends SIGTERM to every task still enrolled; a test JVM whose runtime had not
     * quite left PVM would then exit with 143 and fail the build although its tests passed. The test
     * JVM is finishing anyway: it ignores SIGTERM from here on.
     */
    public static void outliveDaemonShutdown() {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> { });
    }
}
