package org.pvmakka.tests.fn;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pvmakka.task.TaskContext;
import org.pvmakka.task.TaskFunction;

/**
 * Runs {@link Relay} with its arguments (echo tid, round trips), then returns how many sockets its
 * worker JVM holds: the JVM's own, one to its pvmd, plus one per direct task-task link (PVM makes
 * them Unix sockets on one host).
 */
public final class LinkCounter implements TaskFunction {
    @Override
    public Object run(TaskContext context, List<Object> args) throws Exception {
        new Relay().run(context, args);
        int sockets = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException ignored) {
                    // closed while listing (the directory stream's own descriptor)
                }
            }
        }
        return sockets;
    }
}
