package org.pvmakka.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.tests.RealPvm;

/**
 * The operators' distribution, {@code pvm-akka-<version>.tar.gz} of src/cli, as an operator uses it:
 * unpacked into an empty directory, its {@code bin/pvm-akka} run with java alone (no Maven, no
 * classpath from the build) against a real pvmd, its workers started from its own {@code lib/}.
 */
@ExtendWith(RealPvm.class)
class DistributionIT {
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("pvmakka.dist", "missing: run with Maven"));
        assertTrue(Files.isRegularFile(archive), "no distribution at " + archive + ": build src/cli (mvn package) first");
        Path dir = Files.createTempDirectory(RealPvm.workDir(), "dist");
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar xzf " + archive);
        try (Stream<Path> top = Files.list(dir)) {
            List<Path> roots = top.toList();
            assertEquals(1, roots.size(), () -> "one top directory: " + roots);
            home = roots.get(0);
        }
        String name = archive.getFileName().toString();
        assertEquals(name.substring(0, name.length() - ".tar.gz".length()), home.getFileName().toString());
    }

    static CliIT.Result dist(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/pvm-akka").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempDirectory(RealPvm.workDir(), "dist-run");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(out.toFile())
                .redirectOutput(out.resolve("out").toFile()).redirectError(out.resolve("err").toFile());
        pb.environment().remove("PVM_TMP");
        pb.environment().remove("CLASSPATH");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/pvm-akka " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new CliIT.Result(p.exitValue(), Files.readString(out.resolve("out")), Files.readString(out.resolve("err")));
    }

    @Test
    void holdsTheCommandItsJarsAndTheExampleConfiguration() throws Exception {
        assertTrue(Files.isExecutable(home.resolve("bin/pvm-akka")));
        for (String f : List.of("application.conf", "hostfile", "logback.xml")) {
            assertTrue(Files.isRegularFile(home.resolve("conf").resolve(f)), "conf/" + f);
        }
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String prefix : List.of("pvm-akka-bridge-", "pvm-akka-actors-", "pvm-akka-cli-", "akka-actor-typed_2.13-",
                "jna-", "kryo-", "picocli-", "logback-classic-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix) && j.endsWith(".jar")), prefix + " in " + jars);
        }
        assertTrue(jars.stream().allMatch(j -> j.endsWith(".jar")), jars::toString);
    }

    @Test
    void statusRunAndBadInputWorkFromTheUnpackedArchive() throws Exception {
        String pvmTmp = RealPvm.daemon().pvmTmp().toString();
        CliIT.Result status = dist("status", "--pvm-tmp", pvmTmp);
        assertEquals(0, status.exit(), status::toString);
        assertTrue(status.out().contains("responsive"), status.out());
        assertTrue(status.out().matches("(?s).*LINUX64\\s+1000\\s+" + Runtime.getRuntime().availableProcessors()
                + "\\s.*"), status.out());

        // the demo's task function, in lib/pvm-akka-cli-*.jar: the workers get the distribution's classpath
        CliIT.Result run = dist("run", "org.pvmakka.demo.MonteCarloPi", "100000", "7", "--pvm-tmp", pvmTmp);
        assertEquals(0, run.exit(), run::toString);
        Matcher m = Pattern.compile("(?m)^t[0-9a-f]+: (\\d+)$").matcher(run.out());
        assertTrue(m.find(), run.out());
        assertEquals(78_540, Long.parseLong(m.group(1)), 1_000, "pi/4 of 100000 samples: " + run.out());

        CliIT.assertOneClearLine(dist("status", "--bogus"), 2, "--bogus");
    }
}
