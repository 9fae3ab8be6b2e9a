package org.pvmakka.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pvm-akka} command: {@code demo}, {@code status}, {@code run} and {@code halt}. Bad
 * input (an unknown command or option, a missing class, no pvmd) gives one clear line on stderr
 * and a non-zero exit, never a stack trace.
 */
@Command(name = "pvm-akka", mixinStandardHelpOptions = true, version = "pvm-akka 0.1.0",
        description = "Akka Typed on a real PVM 3.4 virtual machine.",
        subcommands = {DemoCommand.class, StatusCommand.class, RunCommand.class, HaltCommand.class})
public final class PvmAkkaCli implements Runnable {
    /** Exit code for bad input. */
    public static final int USAGE = 2;
    /** Exit code for a failure while running. */
    public static final int FAILED = 1;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: demo, status, run or halt");
    }

    public static void main(String[] args) {
        org.slf4j.LoggerFactory.getILoggerFactory(); // initialize logging before Akka's threads log at once
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new PvmAkkaCli());
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("pvm-akka: " + ex.getMessage() + " (try: pvm-akka --help)");
            err.flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            err.println("pvm-akka: " + oneLine(ex));
            err.flush();
            return ex instanceof IllegalArgumentException ? USAGE : FAILED;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable t) {
        Throwable root = t;
        while ((root instanceof java.util.concurrent.ExecutionException
                || root instanceof java.util.concurrent.CompletionException) && root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
