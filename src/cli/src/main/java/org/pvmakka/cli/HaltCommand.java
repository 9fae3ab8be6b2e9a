package org.pvmakka.cli;

import java.util.concurrent.Callable;
import org.pvmakka.javadsl.VirtualMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pvm-akka halt}: stops the whole virtual machine cleanly ({@code pvm_halt}). */
@Command(name = "halt", mixinStandardHelpOptions = true,
        description = "Stop the virtual machine: every pvmd and every task in it.")
final class HaltCommand implements Callable<Integer> {
    @Mixin
    VmOptions vm;

    @Override
    public Integer call() throws Exception {
        // pvm_halt has the pvmd SIGTERM every task of the VM, this command included: outlive it
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> { });
        try (VirtualMachine v = vm.attach()) {
            vm.await(v.halt());
        }
        System.out.println("halted the virtual machine of " + vm.attachDir());
        return 0;
    }
}
