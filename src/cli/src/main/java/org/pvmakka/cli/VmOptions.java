package org.pvmakka.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.pvmakka.javadsl.VirtualMachine;
import picocli.CommandLine.Option;

/**
 * The options every command shares, and how a command gets its {@link VirtualMachine}: attached
 * to the pvmd of {@code --pvm-tmp} (or {@code PVM_TMP}), or, where a command allows it, an
 * embedded private pvmd that it starts and stops by PID.
 */
final class VmOptions {
    @Option(names = "--pvm-tmp", paramLabel = "DIR",
            description = "PVM_TMP of a running pvmd to attach to (default: $PVM_TMP, else /tmp)")
    Path pvmTmp;

    @Option(names = "--classpath", paramLabel = "PATH", split = ":",
            description = "extra classpath entries for the workers (your task classes)")
    List<String> classpath = List.of();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for the VM and for results (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /** The directory of the pvmd to attach to. */
    Path attachDir() {
        if (pvmTmp != null) {
            return pvmTmp.toAbsolutePath();
        }
        String env = System.getenv("PVM_TMP");
        return Path.of(env == null || env.isBlank() ? "/tmp" : env);
    }

    /** True when a pvmd seems to run in {@code dir} (its address file exists). */
    static boolean pvmdRunsIn(Path dir) throws IOException {
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        return Files.isRegularFile(dir.resolve("pvmd." + uid));
    }

    Config config(Path dir) {
        StringBuilder cp = new StringBuilder();
        if (!classpath.isEmpty()) {
            List<String> all = new java.util.ArrayList<>(org.pvmakka.internal.worker.WorkerCommand.currentClasspath());
            for (String c : classpath) {
                all.add(Path.of(c).toAbsolutePath().toString());
            }
            cp.append("pvm-akka.worker.classpath = [");
            for (int i = 0; i < all.size(); i++) {
                cp.append(i > 0 ? "," : "").append('"').append(all.get(i).replace("\\", "\\\\")).append('"');
            }
            cp.append("]\n");
        }
        return ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + dir + "\"\n"
                + "pvm-akka.allow-root = on\n"
                + "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\n"
                + "akka.scheduler.tick-duration = 50ms\n" + cp)
                .withFallback(ConfigFactory.load());
    }

    <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** A VM attached to a running pvmd; fails with one clear line when none runs. */
    VirtualMachine attach() throws Exception {
        Path dir = attachDir();
        if (!pvmdRunsIn(dir)) {
            throw new IllegalStateException("no pvmd is running in " + dir + " (PVM_TMP); start one, or give --pvm-tmp");
        }
        VirtualMachine vm = VirtualMachine.create(config(dir));
        try {
            if (!await(vm.waitForVm(java.time.Duration.ofSeconds(timeoutSeconds)))) {
                throw new IllegalStateException("the pvmd in " + dir + " does not answer");
            }
        } catch (Exception e) {
            vm.close();
            throw e;
        }
        return vm;
    }

    /** A private pvmd in a fresh temporary PVM_TMP, deleted when closed. */
    static final class Embedded implements AutoCloseable {
        final LocalPvmd pvmd;
        private final Path root;

        Embedded(Path hostfile) throws IOException {
            root = Files.createTempDirectory("pvm-akka-");
            pvmd = LocalPvmd.start(root.resolve("pvm"), Map.of(), hostfile);
        }

        @Override
        public void close() throws IOException {
            pvmd.close();
            try (var files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
