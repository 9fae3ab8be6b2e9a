package org.pvmakka.internal.bridge.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.PointerByReference;

/**
 * Raw direct mapping ({@link Native#register}) of the libpvm3 functions the runtime uses. Names
 * and signatures mirror {@code pvm3.h}; the only caller is {@link JnaPvm}, which checks codes.
 * Not thread-safe, like libpvm itself.
 */
final class LibPvm {
    private LibPvm() {
    }

    private static volatile String loaded;

    /**
     * Binds the natives below to a library, once per JVM.
     *
     * @param library a file name ({@code libpvm3.so.3}) or an absolute path
     * @throws UnsatisfiedLinkError when it cannot be loaded
     */
    static synchronized void load(String library) {
        if (loaded != null) {
            return;
        }
        Native.register(LibPvm.class, NativeLibrary.getInstance(library));
        loaded = library;
    }

    /** The library name that was loaded, or null. */
    static String loaded() {
        return loaded;
    }

    // --- pvm3.h constants ---
    static final int PvmDataRaw = 1;
    static final int PvmDataInPlace = 2;
    static final int PvmAutoErr = 3;

    /** int pvm_mytid(void): enrolls; returns the tid or PvmSysErr. */
    static native int pvm_mytid();

    /** int pvm_parent(void): the parent's tid or PvmNoParent. */
    static native int pvm_parent();

    /** int pvm_tidtohost(int tid): the dtid of the task's host. */
    static native int pvm_tidtohost(int tid);

    /** int pvm_config(int *nhost, int *narch, struct pvmhostinfo **hostp): hostp is libpvm's. */
    static native int pvm_config(int[] nhost, int[] narch, PointerByReference hostp);

    /** int pvm_tasks(int where, int *ntask, struct pvmtaskinfo **taskp): taskp is libpvm's. */
    static native int pvm_tasks(int where, int[] ntask, PointerByReference taskp);

    /** int pvm_spawn(char *task, char **argv, int flag, char *where, int ntask, int *tids). */
    static native int pvm_spawn(String task, StringArray argv, int flag, String where, int ntask, int[] tids);

    /** int pvm_initsend(int encoding): clears the send buffer; returns its bufid. */
    static native int pvm_initsend(int encoding);

    /** int pvm_pkbyte(char *cp, int cnt, int std): packs bytes into the send buffer. */
    static native int pvm_pkbyte(byte[] cp, int cnt, int std);

    /** The same from native memory (with PvmDataInPlace only its address is recorded until pvm_send). */
    static native int pvm_pkbyte(Pointer cp, int cnt, int std);

    /** int pvm_send(int tid, int tag). */
    static native int pvm_send(int tid, int tag);

    /** int pvm_mcast(int *tids, int count, int tag). */
    static native int pvm_mcast(int[] tids, int count, int tag);

    /** int pvm_nrecv(int tid, int tag): bufid, 0 when nothing has arrived, or an error. */
    static native int pvm_nrecv(int tid, int tag);

    /** int pvm_trecv(int tid, int tag, struct timeval *tmout): NULL blocks; 0 on time-out. */
    static native int pvm_trecv(int tid, int tag, Pointer tmout);

    /** int pvm_probe(int tid, int tag): bufid when a matching message has arrived, else 0. */
    static native int pvm_probe(int tid, int tag);

    /** int pvm_bufinfo(int bufid, int *bytes, int *msgtag, int *tid). */
    static native int pvm_bufinfo(int bufid, int[] bytes, int[] msgtag, int[] tid);

    /** int pvm_upkbyte(char *cp, int cnt, int std). */
    static native int pvm_upkbyte(byte[] cp, int cnt, int std);

    /** The same into native memory. */
    static native int pvm_upkbyte(Pointer cp, int cnt, int std);

    /** int pvm_upkint(int *np, int cnt, int std). */
    static native int pvm_upkint(int[] np, int cnt, int std);

    /** int pvm_freebuf(int bufid). */
    static native int pvm_freebuf(int bufid);

    /** int pvm_notify(int what, int msgtag, int cnt, int *tids). */
    static native int pvm_notify(int what, int msgtag, int cnt, int[] tids);

    /** int pvm_pstat(int tid): PvmOk when the task exists, PvmNoTask when not. */
    static native int pvm_pstat(int tid);

    /** int pvm_kill(int tid). */
    static native int pvm_kill(int tid);

    /** int pvm_sendsig(int tid, int signum). */
    static native int pvm_sendsig(int tid, int signum);

    /** int pvm_exit(void). */
    static native int pvm_exit();

    /** int pvm_catchout(FILE *ff): NULL turns it off. */
    static native int pvm_catchout(Pointer file);

    /** int pvm_setopt(int what, int val): returns the previous value. */
    static native int pvm_setopt(int what, int val);

    /** int pvm_getfds(int **fds): the number of descriptors; fds is libpvm's. */
    static native int pvm_getfds(PointerByReference fds);

    /** int pvm_addhosts(char **hosts, int nhost, int *infos). */
    static native int pvm_addhosts(StringArray hosts, int nhost, int[] infos);

    /** int pvm_delhosts(char **hosts, int nhost, int *infos). */
    static native int pvm_delhosts(StringArray hosts, int nhost, int[] infos);

    /** int pvm_halt(void). */
    static native int pvm_halt();
}
