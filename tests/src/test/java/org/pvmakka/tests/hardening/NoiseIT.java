package org.pvmakka.tests.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskOutput;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.TaskEvent;
import org.pvmakka.tests.RealPvm;
import org.pvmakka.tests.RuntimeFixture;
import org.pvmakka.tests.fn.Chatter;
import org.slf4j.LoggerFactory;

/**
 * The runtime is quiet (issue 12.9): forwarded task output is not logged at INFO, a missing pvmd is
 * logged once per reason and not once per retry, and libpvm prints nothing when a second VM is
 * refused. Log events are counted with a logback ListAppender on the root logger; a child JVM's
 * stdout and stderr are read whole (libpvm prints to the process's stderr, not through Java).
 */
@ExtendWith(RealPvm.class)
class NoiseIT {
    static final long OUTPUT_BYTES = 5L << 20;

    @Test
    void fiveMebibytesOfForwardedOutputLeaveTheLogSmall() {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(events);
        ActorTestKit kit = ActorTestKit.create("noise-output", RealPvm.runtimeConfig("pvm-akka.debug = 2"));
        try {
            RuntimeFixture f = RuntimeFixture.start(kit);
            int before = events.list.size();
            TestProbe<TaskEvent> owner = kit.createTestProbe();
            f.spawnOk(SpawnSpec.of(Chatter.class, OUTPUT_BYTES).withOvercommit(true), owner.getRef());
            long forwarded = 0;
            int chunks = 0;
            boolean result = false;
            while (true) {
                TaskEvent e = owner.receiveMessage(RuntimeFixture.LONG);
                if (e instanceof MsgTaskOutput o) {
                    forwarded += o.text().getBytes(StandardCharsets.UTF_8).length;
                    chunks++;
                } else if (e instanceof MsgTaskResult r) {
                    assertEquals(OUTPUT_BYTES / 100 * 100, ((Number) r.value()).longValue());
                    result = true;
                } else if (e instanceof MsgTaskExit) {
                    break;
                }
            }
            assertTrue(result);
            List<ILoggingEvent> during = new ArrayList<>(events.list.subList(before, events.list.size()));
            long logBytes = during.stream().mapToLong(e -> e.getFormattedMessage().length() + 60).sum();
            System.out.println("debug = 2: " + forwarded + " bytes of output forwarded in " + chunks + " chunks; "
                    + during.size() + " log events (INFO and above), ~" + logBytes + " bytes");
            assertEquals(OUTPUT_BYTES / 100 * 100, forwarded, "every byte reached the owner");
            assertTrue(logBytes < 8 * 1024, "the log stays small: " + during);
        } finally {
            kit.shutdownTestKit();
            root.detachAppender(events);
        }
    }

    @Test
    void noPvmdForFiveSecondsGivesAtMostTwoWarningsAndLibpvmPrintsNothing() throws Exception {
        String out = child("no-pvmd", RealPvm.workDir().resolve("noise-no-pvmd").toString());
        Matcher m = Pattern.compile("WARN\\+ (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        int warns = Integer.parseInt(m.group(1));
        System.out.println("no pvmd for 5 s: " + warns + " WARN+ log events");
        assertTrue(out.contains("WAIT: "), out);
        assertTrue(warns >= 1, "the missing pvmd is said once: " + out); // so the count can be trusted
        assertTrue(warns <= 2, out);
        assertNoLibpvmPrint(out);
    }

    @Test
    void aSecondVmInOneJvmIsRefusedBeforeLibpvmIsTouched() throws Exception {
        String out = child("second-vm", RealPvm.daemon().pvmTmp().toString(),
                RealPvm.workDir().resolve("noise-second").toString());
        assertTrue(out.contains("FIRST: StatusReply(Done)") || out.contains("FIRST: Success(Done)"), out);
        for (String which : List.of("SECOND: (.*)", "THIRD: (.*)")) {
            Matcher m = Pattern.compile(which).matcher(out);
            assertTrue(m.find(), out);
            assertTrue(m.group(1).contains("refused"), m.group(1));
            System.out.println(which.substring(0, which.indexOf(':')) + " runtime: " + m.group(1));
        }
        assertNoLibpvmPrint(out);
    }

    static void assertNoLibpvmPrint(String out) {
        assertFalse(out.contains("libpvm ["), out);
        assertFalse(out.contains("No such file or directory"), out);
    }

    /** Runs {@link NoiseProbe} in a child JVM; its stdout and stderr together. */
    static String child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(WorkerCommand.currentJava(), "-cp",
                String.join(File.pathSeparator, WorkerCommand.currentClasspath()), NoiseProbe.class.getName()));
        cmd.addAll(List.of(args));
        Path log = RealPvm.workDir().resolve("noise-" + args[0] + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not end: " + java.nio.file.Files.readString(log));
        }
        String out = java.nio.file.Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
