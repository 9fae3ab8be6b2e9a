package org.pvmakka.cli;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.pvmakka.javadsl.MsgTaskExit;
import org.pvmakka.javadsl.MsgTaskResult;
import org.pvmakka.javadsl.SpawnSpec;
import org.pvmakka.javadsl.Spawned;
import org.pvmakka.javadsl.TaskMessage;
import org.pvmakka.javadsl.VirtualMachine;
import org.pvmakka.task.TaskFunction;
import org.pvmakka.task.TaskId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pvm-akka run <TaskClass> [args]}: spawns a task function on the VM (a running one, or a
 * private pvmd when none runs) and prints each task's result. Arguments that look like integers
 * or decimals are passed as numbers, the rest as strings.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Spawn a task function (a class implementing org.pvmakka.task.TaskFunction) and print the results.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    VmOptions vm;

    @Parameters(index = "0", paramLabel = "TaskClass", description = "fully qualified class name of the task function")
    String taskClass;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "arguments passed to the function")
    List<String> args = new ArrayList<>();

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "1", description = "how many tasks (default: 1)")
    int count;

    @Option(names = "--overcommit", description = "allow more tasks than free slots")
    boolean overcommit;

    @Override
    public Integer call() throws Exception {
        if (count <= 0) {
            throw new IllegalArgumentException("--count must be positive, got " + count);
        }
        checkTaskClass();
        List<Object> values = new ArrayList<>();
        for (String a : args) {
            values.add(parse(a));
        }
        SpawnSpec spec = new SpawnSpec(taskClass, values, count, List.of(), true, overcommit);
        boolean embedded = vm.pvmTmp == null && !VmOptions.pvmdRunsIn(vm.attachDir());
        if (embedded) {
            try (VmOptions.Embedded e = new VmOptions.Embedded(null)) {
                System.err.println("no pvmd is running in " + vm.attachDir() + ": using a private one (pid "
                        + e.pvmd.pid() + ")");
                vm.pvmTmp = e.pvmd.pvmTmp();
                return runOn(spec);
            }
        }
        return runOn(spec);
    }

    private int runOn(SpawnSpec spec) throws Exception {
        int failed = 0;
        try (VirtualMachine v = vm.attach()) {
            Spawned s = vm.await(v.spawnFunction(spec));
            for (Spawned.Failure f : s.failures()) {
                System.out.println("not started on " + f.host() + ": " + f.reason());
                failed++;
            }
            Set<TaskId> open = new HashSet<>(s.tasks());
            while (!open.isEmpty()) {
                Optional<TaskMessage> m = v.receiveMessage(vm.timeoutSeconds);
                if (m.isEmpty()) {
                    throw new IllegalStateException("no result within " + vm.timeoutSeconds + " s from " + open);
                }
                Object o = m.get().message();
                if (o instanceof MsgTaskResult r) {
                    if (r.success()) {
                        System.out.println(r.taskId() + ": " + r.value());
                    } else {
                        System.out.println(r.taskId() + " failed: " + r.error());
                        failed++;
                    }
                } else if (o instanceof MsgTaskExit x) {
                    open.remove(x.taskId());
                    if (x.cause() != MsgTaskExit.Cause.EXITED) {
                        System.out.println(x.taskId() + " ended without a result: " + x.cause() + " " + x.detail());
                        failed++;
                    }
                } else {
                    System.out.println(m.get().sender() + " says: " + o);
                }
            }
        }
        return failed == 0 ? 0 : PvmAkkaCli.FAILED;
    }

    private void checkTaskClass() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String c : vm.classpath) {
            urls.add(Path.of(c).toAbsolutePath().toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), getClass().getClassLoader())) {
            Class<?> c;
            try {
                c = Class.forName(taskClass, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("task class " + taskClass + " is not on the classpath (add it with"
                        + " --classpath)");
            }
            if (!TaskFunction.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException(taskClass + " does not implement " + TaskFunction.class.getName());
            }
        }
    }

    static Object parse(String a) {
        try {
            long l = Long.parseLong(a);
            return l == (int) l ? (Object) (int) l : (Object) l;
        } catch (NumberFormatException e) {
            // not an integer
        }
        try {
            if (a.matches("[-+]?[0-9]*\\.[0-9]+([eE][-+]?[0-9]+)?")) {
                return Double.parseDouble(a);
            }
        } catch (NumberFormatException e) {
            // not a decimal
        }
        return a;
    }
}
