package org.pvmakka.tests.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.cli.LocalPvmd;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.tests.RealPvm;

/**
 * Runs the {@code pvm-akka} command as a user does, as separate processes: demo (private pvmd),
 * status, run and halt against real pvmds, and bad input giving one line and a non-zero exit.
 */
@ExtendWith(RealPvm.class)
class CliIT {
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(WorkerCommand.currentJava(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", String.join(File.pathSeparator, WorkerCommand.currentClasspath()),
                "org.pvmakka.cli.PvmAkkaCli"));
        cmd.addAll(List.of(args));
        Path dir = Files.createTempDirectory(RealPvm.workDir(), "cli");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().remove("PVM_TMP");
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("pvm-akka " + String.join(" ", args) + " did not finish in 180 s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    static void assertOneClearLine(Result r, int exit, String expected) {
        assertEquals(exit, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), () -> "exactly one line: " + r.err());
        assertTrue(r.err().startsWith("pvm-akka: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void demoStartsItsOwnPvmdRunsTheJobAndStopsIt() throws Exception {
        Result r = cli("demo", "--samples", "300000", "--jobs-per-slot", "20");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("where the jobs ran:"), r.out());
        Matcher pi = Pattern.compile("pi ~ (3\\.\\d+)").matcher(r.out());
        assertTrue(pi.find(), r.out());
        assertEquals(Math.PI, Double.parseDouble(pi.group(1)), 0.01);
        Matcher pid = Pattern.compile("stopping the private pvmd \\(pid (\\d+)\\)").matcher(r.out());
        assertTrue(pid.find(), r.out());
        assertFalse(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false),
                "the demo's pvmd is stopped");
        int total = 20 * Runtime.getRuntime().availableProcessors(); // the private pvmd: one slot per core
        assertTrue(r.err().contains(total + "/" + total + " jobs"), "progress bar: " + r.err());
        Matcher jobs = Pattern.compile(total + " jobs in (\\d+\\.\\d+) s").matcher(r.out());
        assertTrue(jobs.find(), r.out());
        // the comparison with spawning per job: 2 spawns per slot, extrapolated to all the jobs
        Matcher cmp = Pattern.compile("spawning per job instead: " + total / 10 + " spawns of the same job took (\\d+\\.\\d+) s "
                + "\\(([\\d.]+) jobs/s\\); " + total + " jobs would take ~(\\d+) s, ([\\d.]+)x the pool's (\\d+\\.\\d+) s").matcher(r.out());
        assertTrue(cmp.find(), r.out());
        assertEquals(jobs.group(1), cmp.group(5), "the comparison names the pool's time");
        assertTrue(Double.parseDouble(cmp.group(4)) > 1, "the pool beats spawning a task per job: " + r.out());
    }

    @Test
    void statusShowsHostsCoresSlotsAndTasks() throws Exception {
        Result r = cli("status", "--pvm-tmp", RealPvm.daemon().pvmTmp().toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("responsive"), r.out());
        assertTrue(r.out().matches("(?s).*LINUX64\\s+1000\\s+" + Runtime.getRuntime().availableProcessors() + "\\s.*"),
                r.out());
        assertTrue(r.out().contains("slot(s)"), r.out());
    }

    @Test
    void runSpawnsAUsersTaskFunctionAndPrintsTheResults() throws Exception {
        String dir = RealPvm.daemon().pvmTmp().toString();
        Result ok = cli("run", "org.pvmakka.tests.fn.Square", "7", "--count", "2", "--pvm-tmp", dir);
        assertEquals(0, ok.exit(), ok::toString);
        assertEquals(2, ok.out().lines().filter(l -> l.matches("t[0-9a-f]+: 49")).count(), ok.out());
        Result fails = cli("run", "org.pvmakka.tests.fn.Thrower", "zz", "--pvm-tmp", dir);
        assertEquals(1, fails.exit(), fails::toString);
        assertTrue(fails.out().contains("failed: java.lang.IllegalStateException: boom: zz"), fails.out());
    }

    @Test
    void badInputGivesOneClearLineAndANonZeroExit() throws Exception {
        assertOneClearLine(cli("frobnicate"), 2, "frobnicate");
        assertOneClearLine(cli("status", "--bogus"), 2, "--bogus");
        assertOneClearLine(cli("run", "org.example.NoSuchTask", "--pvm-tmp", RealPvm.daemon().pvmTmp().toString()), 2,
                "task class org.example.NoSuchTask is not on the classpath");
        assertOneClearLine(cli("run", "java.lang.String"), 2, "does not implement");
        assertOneClearLine(cli("status", "--pvm-tmp", RealPvm.workDir().resolve("nothing-here").toString()), 1,
                "no pvmd is running");
        assertOneClearLine(cli("run", "org.pvmakka.tests.fn.Square", "1", "--count", "0"), 2, "--count must be positive");
        assertOneClearLine(cli(), 2, "a command is required");
    }

    @Test
    void theScriptRoutesVerbsAndRefusesUnknownOnes() throws Exception {
        Path script = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent().resolve("src/bin/pvm-akka");
        assertTrue(Files.isRegularFile(script), script.toString());
        Process help = new ProcessBuilder("bash", script.toString(), "help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes());
        assertEquals(0, help.waitFor());
        for (String verb : List.of("demo", "status", "run", "halt", "test")) {
            assertTrue(text.contains("pvm-akka " + verb), text);
        }
        Process bad = new ProcessBuilder("bash", script.toString(), "frobnicate").start();
        String err = new String(bad.getErrorStream().readAllBytes());
        assertEquals(2, bad.waitFor());
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("unknown command 'frobnicate'"), err);
    }

    @Test
    void haltStopsTheVirtualMachine() throws Exception {
        try (LocalPvmd other = LocalPvmd.start(RealPvm.workDir().resolve("halt-me"), Map.of())) {
            Result r = cli("halt", "--pvm-tmp", other.pvmTmp().toString());
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("halted the virtual machine"), r.out());
            for (int i = 0; i < 100 && other.isAlive(); i++) {
                Thread.sleep(50);
            }
            assertFalse(other.isAlive(), "the pvmd exited");
        }
    }
}
