package org.pvmakka.internal.bridge.jna;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Keeps the application alive when its virtual machine goes away. A halting pvmd (console {@code halt}, SIGTERM to the
 * master pvmd, {@code pvm_halt}) sends SIGTERM to every enrolled process, the application's JVM included, and then
 * exits. This guard takes SIGTERM over: it waits up to {@link #GRACE_MILLIS} for this JVM's pvmd to stop answering; if
 * it does, the signal was the VM going down and is survived (the runtime then reports the VM lost to every owner and
 * attaches again when a pvmd comes back). Otherwise it was an ordinary SIGTERM, handed to the JVM's own handler (the
 * usual shutdown, exit 143).
 */
public final class VmHaltGuard {
    /** How long a SIGTERM waits to see whether the pvmd is going away. */
    public static final long GRACE_MILLIS = 1500;

    private static SignalHandler previous;
    private static Path addressFile;
    private static Consumer<String> log = s -> { };
    private static final AtomicLong SURVIVED = new AtomicLong();

    private VmHaltGuard() {
    }

    /**
     * Takes SIGTERM over for the VM of {@code pvmTmp} (null: the environment's PVM_TMP, else /tmp); idempotent.
     *
     * @param logger told of each SIGTERM survived
     */
    public static synchronized void install(String pvmTmp, Consumer<String> logger) {
        String tmp = pvmTmp != null && !pvmTmp.isEmpty() ? pvmTmp : System.getenv("PVM_TMP");
        addressFile = Path.of(tmp == null || tmp.isEmpty() ? "/tmp" : tmp, "pvmd." + LibC.geteuid());
        log = logger;
        if (previous == null) {
            previous = Signal.handle(new Signal("TERM"), VmHaltGuard::onTerm);
        }
    }

    /** How many SIGTERMs of a halting VM this JVM survived. */
    public static long survived() {
        return SURVIVED.get();
    }

    private static void onTerm(Signal sig) {
        long deadline = System.nanoTime() + GRACE_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!daemonAnswers()) {
                SURVIVED.incrementAndGet();
                log.accept("SIGTERM from the halting virtual machine survived (its pvmd no longer answers at "
                        + addressFile + "); the runtime reports the VM lost and attaches again when a pvmd is back");
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        SignalHandler p;
        synchronized (VmHaltGuard.class) {
            p = previous;
        }
        if (p != null && p != SignalHandler.SIG_IGN && p != SignalHandler.SIG_DFL) {
            p.handle(sig); // the JVM's own: an ordinary shutdown
        } else if (p != SignalHandler.SIG_IGN) {
            System.exit(128 + 15);
        }
    }

    /** True while the pvmd named by the address file accepts connections. */
    static boolean daemonAnswers() {
        String sock;
        try {
            sock = Files.readString(addressFile, StandardCharsets.ISO_8859_1).trim().split("\\s+")[0];
        } catch (IOException e) {
            return false;
        }
        if (!sock.startsWith("/")) {
            return true; // a TCP address: cannot tell cheaply; treat as alive (ordinary SIGTERM handling)
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
