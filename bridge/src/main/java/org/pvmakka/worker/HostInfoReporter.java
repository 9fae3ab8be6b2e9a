package org.pvmakka.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pvmakka.bridge.wire.HostReport;

/** The built-in reporter task: returns its host's name and CPU core count as a {@link HostReport}. */
public final class HostInfoReporter implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) {
        return new HostReport(hostName(), Runtime.getRuntime().availableProcessors());
    }

    static String hostName() {
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
}
