package org.pvmakka.internal.worker;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** A worker JVM of its own: the machine's host name and cores, daemon threads, {@code Runtime.halt}. */
final class JvmWorkerEnvironment implements WorkerEnvironment {
    private static final PrintStream ERR = System.err;

    @Override
    public String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return "Unknown";
            }
        }
    }

    @Override
    public int availableCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public Thread newThread(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void halt(int code) {
        ERR.flush();
        Runtime.getRuntime().halt(code);
    }

    @Override
    public PrintStream err() {
        return ERR;
    }
}
