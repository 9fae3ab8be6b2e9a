package org.pvmakka.tests.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU time of processes from {@code /proc} (Linux), for idle measurements of other processes. */
final class ProcCpu {
    /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    /** User plus system CPU time of a process in nanoseconds, or 0 when it is gone. */
    static long cpuNanos(long pid) {
        String[] f = stat(pid);
        if (f == null) {
            return 0;
        }
        // fields after "(comm)": state is [0], utime is field 14 overall = [11], stime [12]
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** The processes whose parent is {@code pid}. */
    static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                long child = Long.parseLong(p.getFileName().toString());
                String[] f = stat(child);
                if (f != null && Long.parseLong(f[1]) == pid) {
                    out.add(child);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return out;
    }

    /** The command line of a process, for the report. */
    static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name, or null. */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
