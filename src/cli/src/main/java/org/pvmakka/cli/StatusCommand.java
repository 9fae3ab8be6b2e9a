package org.pvmakka.cli;

import java.util.concurrent.Callable;
import org.pvmakka.javadsl.VirtualMachine;
import org.pvmakka.javadsl.VmStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pvm-akka status}: hosts with measured cores, tasks, slots: the console's conf and ps, and more. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the hosts (name, dtid, arch, speed, cores, tasks, responsive), slots and tasks of a running VM;"
                + " with --serve, also serve them live in a browser until stopped (Ctrl-C).")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    VmOptions vm;

    @Mixin
    ServeOptions serve;

    @Override
    public Integer call() throws Exception {
        try (VirtualMachine v = vm.attach()) {
            VmStatus s = vm.await(v.status());
            System.out.print(s.format());
            if (serve.on()) {
                serve.start(v);
                Thread.currentThread().join(); // until stopped: the JVM's shutdown leaves PVM cleanly
            }
        }
        return 0;
    }
}
