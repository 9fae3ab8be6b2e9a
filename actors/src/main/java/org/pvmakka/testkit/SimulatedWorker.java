package org.pvmakka.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.pvmakka.internal.worker.WorkerEnvironment;
import org.pvmakka.internal.worker.WorkerRuntime;
import org.pvmakka.internal.worker.WorkerSettings;

/**
 * A spawned task of a {@link SimulatedCluster}: the same {@link WorkerRuntime} a worker JVM runs,
 * on a thread of this JVM, with its own {@link SimulatedPvm}. Its host is the simulated one (name
 * and declared cores); halting ends the task as a process exit would; once the task has ended
 * (killed, host failed) nothing it prints or sends gets out.
 */
final class SimulatedWorker implements WorkerEnvironment {
    private final SimulatedCluster cluster;
    private final SimTask task;
    private final ClassLoader loader;
    private final PrintStream err;

    private SimulatedWorker(SimulatedCluster cluster, SimTask task, ClassLoader loader) {
        this.cluster = cluster;
        this.task = task;
        this.loader = loader;
        this.err = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                if (task.alive) {
                    System.err.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (task.alive) {
                    System.err.write(b, off, len);
                }
            }
        }, true);
    }

    /**
     * The thread, not yet started, that runs the worker of {@code task}.
     *
     * @param props the {@code -D} options of the worker command line
     */
    static Thread thread(SimulatedCluster cluster, SimTask task, Map<String, String> props, ClassLoader loader) {
        SimulatedWorker w = new SimulatedWorker(cluster, task, loader);
        Thread t = new Thread(() -> w.run(props), "pvm-sim-" + task);
        t.setDaemon(true);
        t.setContextClassLoader(loader);
        return t;
    }

    private void run(Map<String, String> props) {
        try {
            WorkerSettings settings = WorkerSettings.fromProperties(props); // as WorkerMain: bad options end the task
            SimulatedPvm pvm = new SimulatedPvm(cluster, task, settings.wire().maxMessageBytes());
            new WorkerRuntime(pvm, settings, this).run();
        } catch (RuntimeException | Error e) {
            err.println("pvm-akka worker " + task + ": " + e);
        } finally {
            cluster.processEnded(task);
        }
    }

    @Override
    public String hostName() {
        return task.host.name;
    }

    @Override
    public int availableCores() {
        return task.host.cores;
    }

    @Override
    public Thread newThread(Runnable body, String name) {
        Thread t = new Thread(body, "pvm-sim-" + task + "-" + name);
        t.setDaemon(true);
        t.setContextClassLoader(loader);
        cluster.adopt(task, t);
        return t;
    }

    /** Ends the task as a process exit would (TaskExit fires); the worker then unwinds. */
    @Override
    public void halt(int code) {
        cluster.processEnded(task);
    }

    @Override
    public PrintStream err() {
        return err;
    }
}
