package org.pvmakka.internal.actors;

import java.util.ArrayList;
import java.util.List;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.internal.worker.WorkerStartup;
import org.pvmakka.javadsl.PvmSettings;

/**
 * Adds the worker start-up cache ({@code pvm-akka.worker.startup-cache}) to the settings' worker
 * command when the runtime starts: creates the cache directory and starts the class-data archive
 * in the background (see {@link WorkerStartup}). Settings themselves have no side effects.
 */
final class WorkerPreparation {
    private WorkerPreparation() {
    }

    /** The settings with the start-up cache in their worker command, or as they are when it is off. */
    static PvmSettings prepare(PvmSettings settings) {
        if (!settings.workerStartupCache()) {
            return settings;
        }
        WorkerCommand w = SettingsInternals.worker(settings);
        WorkerStartup startup = WorkerStartup.prepare(settings.workerCacheDirectory()
                .orElseGet(WorkerStartup::defaultCacheDirectory), w.javaCommand(), w.jvmOptions(), w.classpath());
        List<String> jvm = new ArrayList<>(w.jvmOptions());
        jvm.addAll(startup.jvmOptions());
        return SettingsInternals.withWorker(settings, w.withJvmOptions(jvm).withClasspath(startup.classpath()));
    }
}
