package org.pvmakka.internal.actors;

import java.nio.file.Path;

/**
 * One libpvm session per JVM. libpvm reads {@code PVM_TMP} once per process and keeps its socket to that pvmd, so a
 * JVM can hold one real-PVM runtime at a time, and only ever on the {@code PVM_TMP} it first used. A second runtime
 * that would need another session is refused at once with an error that says why, never left to hang. The simulator
 * is not limited.
 */
public final class LibPvmSession {
    private static String holder;
    private static String boundTmp;

    private LibPvmSession() {
    }

    /** The {@code PVM_TMP} that a runtime with this setting would use ("" or null: the environment's, else /tmp). */
    public static String effectiveTmp(String configured) {
        String t = configured != null && !configured.isEmpty() ? configured : System.getenv("PVM_TMP");
        return Path.of(t != null && !t.isEmpty() ? t : "/tmp").toAbsolutePath().normalize().toString();
    }

    /**
     * Takes the JVM's libpvm session for {@code who}.
     *
     * @throws IllegalStateException when another runtime holds it, or it is bound to another {@code PVM_TMP}
     */
    public static synchronized void acquire(String who, String configuredTmp) {
        String tmp = effectiveTmp(configuredTmp);
        if (holder != null && !holder.equals(who)) {
            throw new IllegalStateException("refused to start a second PVM runtime (" + who + ") in this JVM: " + holder
                    + " already uses libpvm, which reads PVM_TMP once per process and keeps its socket, so one JVM"
                    + " has one PVM session; use PvmAkka.get(system) of that actor system instead");
        }
        if (boundTmp != null && !boundTmp.equals(tmp)) {
            throw new IllegalStateException("refused to attach " + who + " to the VM of PVM_TMP " + tmp + ": this JVM's"
                    + " libpvm was bound to PVM_TMP " + boundTmp + " by an earlier runtime, and libpvm reads PVM_TMP"
                    + " once per process; use a separate JVM for another virtual machine");
        }
        holder = who;
        boundTmp = tmp;
    }

    /** Gives the session back (the runtime left PVM). */
    public static synchronized void release(String who) {
        if (who.equals(holder)) {
            holder = null;
        }
    }
}
