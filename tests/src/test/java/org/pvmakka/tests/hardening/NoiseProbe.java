package org.pvmakka.tests.hardening;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.pvmakka.javadsl.PvmAkka;
import org.pvmakka.javadsl.PvmCommand;
import org.slf4j.LoggerFactory;

/**
 * Run by {@link NoiseIT} in a child JVM, whose own stdout and stderr (libpvm's prints included) the
 * test reads. {@code no-pvmd DIR}: a runtime on a PVM_TMP without a pvmd, asked WaitForVm for 5 s;
 * prints "WARN+ n" (log events at WARN and above) and them. {@code second-vm TMP DIR}: a runtime on
 * the pvmd of TMP, a second one on it while the first runs
 * ("SECOND: " and its answer), then a third on DIR after the first stopped ("THIRD: ").
 */
public final class NoiseProbe {
    public static void main(String[] args) throws Exception {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(events);
        int rc = switch (args[0]) {
            case "no-pvmd" -> noPvmd(Path.of(args[1]), events);
            case "second-vm" -> secondVm(args[1], Path.of(args[2]));
            default -> 2;
        };
        System.out.flush();
        System.exit(rc);
    }

    static ActorTestKit kit(String name, String tmp) {
        return ActorTestKit.create(name, ConfigFactory.parseString("pvm-akka.pvm-tmp = \"" + tmp + "\"\n"
                + "pvm-akka.allow-root = on\npvm-akka.worker.startup-cache = off").withFallback(ConfigFactory.load()));
    }

    static int noPvmd(Path dir, ListAppender<ILoggingEvent> events) throws Exception {
        Files.createDirectories(dir);
        ActorTestKit kit = kit("no-pvmd", dir.toString());
        TestProbe<StatusReply<Done>> p = kit.createTestProbe();
        PvmAkka.get(kit.system()).runtime().tell(new PvmCommand.WaitForVm(Duration.ofSeconds(5), p.getRef()));
        StatusReply<Done> r = p.receiveMessage(Duration.ofSeconds(20));
        System.out.println("WAIT: " + (r.isError() ? r.getError().getMessage() : "up"));
        var warns = events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        System.out.println("WARN+ " + warns.size());
        warns.forEach(e -> System.out.println("  " + e.getLoggerName() + ": " + e.getFormattedMessage()));
        kit.shutdownTestKit();
        return 0;
    }

    static int secondVm(String tmp, Path other) throws Exception {
        Files.createDirectories(other);
        ActorTestKit first = kit("first", tmp);
        TestProbe<StatusReply<Done>> p = first.createTestProbe();
        PvmAkka.get(first.system()).runtime().tell(new PvmCommand.WaitForVm(Duration.ofSeconds(30), p.getRef()));
        System.out.println("FIRST: " + p.receiveMessage(Duration.ofSeconds(40)));
        ActorTestKit second = kit("second", tmp);
        try {
            PvmAkka.get(second.system()).runtime();
            System.out.println("SECOND: started");
        } catch (RuntimeException e) {
            System.out.println("SECOND: " + e.getMessage());
        }
        second.shutdownTestKit();
        first.shutdownTestKit();
        ActorTestKit third = kit("third", other.toString()); // libpvm is bound to the first PVM_TMP
        try {
            TestProbe<StatusReply<Done>> q = third.createTestProbe();
            PvmAkka.get(third.system()).runtime().tell(new PvmCommand.WaitForVm(Duration.ofSeconds(2), q.getRef()));
            StatusReply<Done> r = q.receiveMessage(Duration.ofSeconds(10));
            System.out.println("THIRD: " + (r.isError() ? r.getError().getMessage() : "up"));
        } catch (RuntimeException e) {
            System.out.println("THIRD: " + e.getMessage());
        }
        third.shutdownTestKit();
        return 0;
    }
}
