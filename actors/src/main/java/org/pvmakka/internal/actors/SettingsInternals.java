package org.pvmakka.internal.actors;

import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.wire.FlowWindow;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.javadsl.PvmSettings;

/**
 * The runtime's view of {@link PvmSettings} in its internal types (libpvm options, wire settings, the worker
 * command), which the public class does not expose. {@code PvmSettings} installs the accessor when it is loaded.
 */
public final class SettingsInternals {
    /** What {@code PvmSettings} gives the runtime. */
    public interface Access {
        JnaPvmOptions pvmOptions(PvmSettings s);

        WireSettings wire(PvmSettings s);

        WorkerCommand worker(PvmSettings s);

        PvmSettings withWorker(PvmSettings s, WorkerCommand command);
    }

    private static volatile Access access;

    private SettingsInternals() {
    }

    /** Called once by {@code PvmSettings}' static initialiser. */
    public static void install(Access a) {
        if (access != null) {
            throw new IllegalStateException("the settings accessor is installed already");
        }
        access = a;
    }

    private static Access access(PvmSettings s) {
        Access a = access;
        if (a == null) {
            throw new IllegalStateException("PvmSettings did not install its accessor"); // cannot happen: s exists
        }
        return a;
    }

    /** {@code library}, {@code pvm-tmp}, {@code allow-root}, {@code max-message-bytes}, {@code fragment-size}. */
    public static JnaPvmOptions pvmOptions(PvmSettings s) {
        return access(s).pvmOptions(s);
    }

    /** {@code max-message-bytes} and {@code wire.*}, by class name (as workers get them). */
    public static WireSettings wire(PvmSettings s) {
        return access(s).wire(s);
    }

    /** {@code worker.*}: how workers are started. */
    public static WorkerCommand worker(PvmSettings s) {
        return access(s).worker(s);
    }

    /** The credit window of each task's messages to its owner ({@code flow-control}), credit on hand-off. */
    public static FlowWindow flowWindow(PvmSettings s) {
        return new FlowWindow(s.flowWindowMessages, s.flowWindowBytes, s.flowSendTimeout.toMillis(), false);
    }

    /** The same settings with another worker command (the runtime adds the start-up cache). */
    public static PvmSettings withWorker(PvmSettings s, WorkerCommand command) {
        return access(s).withWorker(s, command);
    }
}
