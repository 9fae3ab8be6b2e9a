package org.pvmakka.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.internal.worker.WorkerStartup;
import org.pvmakka.internal.worker.WorkerWarmUp;

/**
 * The worker start-up cache (Failsafe runs with the modules as jars, as a deployment does): the
 * class-data archive is created in the background, and a worker JVM started with the options and
 * classpath it gives loads the core classes from the archive and JNA's library from the cache.
 */
class WorkerStartupIT {
    @TempDir
    Path cache;

    @Test
    void workersLoadTheCoreClassesFromTheArchiveAndJnaFromTheCache() throws Exception {
        List<String> options = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
        WorkerStartup s = WorkerStartup.prepare(cache, WorkerCommand.currentJava(), options,
                WorkerCommand.currentClasspath());
        String archive = s.jvmOptions().stream().filter(o -> o.startsWith("-XX:SharedArchiveFile=")).findFirst()
                .orElseThrow(() -> new AssertionError("no archive (core classes not in jars?): " + s.jvmOptions()))
                .substring("-XX:SharedArchiveFile=".length());
        assertTrue(s.jvmOptions().stream().anyMatch(o -> o.startsWith("-Djna.platform.library.path=")), s::toString);
        assertTrue(s.jvmOptions().stream().anyMatch(o -> o.startsWith("-Djna.boot.library.path=")), s::toString);
        assertTrue(s.classpath().get(0).endsWith(".jar"), "core jars first: " + s.classpath());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(Path.of(archive)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(Path.of(archive)), "the archive was created in the background: " + archive);

        List<String> cmd = new ArrayList<>();
        cmd.add(WorkerCommand.currentJava());
        cmd.addAll(options);
        cmd.addAll(s.jvmOptions());
        cmd.add("-Xlog:class+load=info");
        cmd.add("-Djna.debug_load.jna=true");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, s.classpath()));
        cmd.add(WorkerWarmUp.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        for (String c : new String[] {"com.esotericsoftware.kryo.Kryo", "com.sun.jna.Native", "org.pvmakka.internal.codec.WireCodec"}) {
            assertTrue(out.lines().anyMatch(l -> l.contains(" " + c + " source: shared objects file (top)")),
                    c + " from the archive:\n" + out.lines().filter(l -> l.contains(c)).toList());
        }
        assertTrue(out.lines().noneMatch(l -> l.contains("[warning][cds")), "no CDS warning");
        assertTrue(out.contains("Found jnidispatch at " + cache), "JNA's library from the cache:\n"
                + out.lines().filter(l -> l.contains("jnidispatch")).toList());
    }
}
