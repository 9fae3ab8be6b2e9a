package org.pvmakka.cli;

import akka.http.javadsl.ServerBinding;
import java.util.concurrent.TimeUnit;
import org.pvmakka.internal.http.StatusServer;
import org.pvmakka.javadsl.VirtualMachine;
import picocli.CommandLine.Option;

/** {@code --serve PORT}: the live status page, {@code /api/status} and {@code /metrics} of the attached runtime. */
final class ServeOptions {
    @Option(names = "--serve", paramLabel = "PORT",
            description = "serve the live status page, /api/status and /metrics on this port (read-only)")
    Integer port;

    @Option(names = "--serve-interface", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "the address --serve binds (default: ${DEFAULT-VALUE}; the page has no authentication)")
    String address;

    boolean on() {
        return port != null;
    }

    /** Serves the status of {@code vm}'s runtime; fails naming the address when it cannot bind. */
    void start(VirtualMachine vm) throws Exception {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--serve " + port + ": must be a port from 1 to 65535");
        }
        ServerBinding b;
        try {
            b = StatusServer.serve(vm.system(), vm.runtime(), address, port).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        System.out.printf("status page on http://%s:%d/ (JSON: /api/status, Prometheus: /metrics)%n",
                b.localAddress().getHostString(), b.localAddress().getPort());
    }
}
