package org.pvmakka.internal.bridge.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.pvmakka.internal.bridge.HostInfo;
import org.pvmakka.internal.bridge.HostResult;
import org.pvmakka.internal.bridge.Inbound;
import org.pvmakka.internal.bridge.InboundWatcher;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.PvmOption;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.bridge.TaskInfo;
import org.pvmakka.internal.bridge.VmConfig;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskId;

/**
 * The real {@link Pvm}: libpvm3 through JNA direct mapping. The thread that {@link #open opens} it
 * owns it; calls from any other thread are refused (libpvm is not thread-safe). Every negative
 * return code becomes a {@link PvmException}; libpvm's automatic error printing is switched off,
 * and as root the JVM is protected from libpvm's {@code exit(1)}.
 */
public final class JnaPvm implements Pvm {
    /** The name of the thread that waits on libpvm's sockets for {@link #watchInbound}. */
    public static final String WATCHER_THREAD = "pvm-akka-poller";

    /**
     * Native staging buffers up to this size are kept for the next message; larger ones are freed
     * after use.
     */
    static final int RETAINED_BUFFER_BYTES = 4 << 20;

    private final Thread owner;
    private final JnaPvmOptions options;
    private final Map<Integer, NotifyKind> notifyTags = new HashMap<>();
    private final Memory timeval = new Memory(16);
    private final int[] bytesOut = new int[1];
    private final int[] tagOut = new int[1];
    private final int[] srcOut = new int[1];
    private Memory sendBuffer;
    private Memory receiveBuffer;
    private int tid;

    private JnaPvm(JnaPvmOptions options) {
        this.owner = Thread.currentThread();
        this.options = options;
    }

    /**
     * Loads libpvm (once per JVM), prepares the environment and binds a new instance to the
     * calling thread. Does not enroll yet: the first call does.
     *
     * @throws PvmException when the library cannot be loaded or root is not allowed
     */
    public static JnaPvm open(JnaPvmOptions options) {
        try {
            LibPvm.load(options.library());
        } catch (UnsatisfiedLinkError e) {
            throw new PvmException("load " + options.library(),
                    "cannot load libpvm3 (" + e.getMessage() + "); install it with: apt-get install -y libpvm3", e);
        }
        if (options.pvmTmp() != null) {
            LibC.setenv("PVM_TMP", options.pvmTmp(), 1);
        }
        if (LibC.geteuid() == 0 && LibC.getenv("PVM_ALLOW_ROOT") == null) {
            if (!options.allowRoot()) {
                throw new PvmException("pvm_mytid", "running as root without PVM_ALLOW_ROOT: libpvm would call exit(1)"
                        + " and end the JVM; set PVM_ALLOW_ROOT=1 or allow root in the options", null);
            }
            LibC.setenv("PVM_ALLOW_ROOT", "1", 1);
        }
        LibPvm.pvm_setopt(LibPvm.PvmAutoErr, 0);
        return new JnaPvm(options);
    }

    /** The options this instance was opened with. */
    public JnaPvmOptions options() {
        return options;
    }

    private void checkThread() {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw new IllegalStateException("libpvm is not thread-safe: this Pvm belongs to thread '" + owner.getName()
                    + "', called from '" + t.getName() + "'");
        }
    }

    private static int check(String op, int rc) {
        if (rc < 0) {
            throw new PvmException(op, rc);
        }
        return rc;
    }

    private void enrolled() {
        if (tid <= 0) {
            mytid();
        }
    }

    @Override
    public int mytid() {
        checkThread();
        if (tid > 0) {
            return tid;
        }
        preflight();
        int rc = check("pvm_mytid", LibPvm.pvm_mytid());
        tid = rc;
        if (options.fragmentSize() > 0) {
            LibPvm.pvm_setopt(PvmOption.FRAG_SIZE.code(), options.fragmentSize());
        }
        return rc;
    }

    /**
     * Before enrolling a process that pvmd did not spawn, checks that a pvmd listens where
     * {@code $PVM_TMP/pvmd.<uid>} says: libpvm would print and fail when the file is missing, and
     * hang when it is stale.
     */
    private static void preflight() {
        if (LibC.getenv("PVMSOCK") != null) {
            return; // spawned by a pvmd: libpvm connects through the inherited socket path
        }
        String tmp = LibC.getenv("PVM_TMP");
        Path addrFile = Path.of(tmp == null || tmp.isEmpty() ? "/tmp" : tmp, "pvmd." + LibC.geteuid());
        String sock;
        try {
            String content = Files.readString(addrFile, StandardCharsets.ISO_8859_1).trim();
            sock = content.split("\\s+")[0];
        } catch (IOException e) {
            throw new PvmException("pvm_mytid", PvmError.SYS_ERR.code(), "no pvmd is running: " + addrFile + " does not exist");
        }
        if (sock.startsWith("/")) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
            } catch (IOException e) {
                throw new PvmException("pvm_mytid", PvmError.SYS_ERR.code(), "no pvmd listens on " + sock + " named by "
                        + addrFile + " (stale file from a pvmd that died?): " + e.getMessage());
            }
        }
    }

    @Override
    public OptionalInt parent() {
        checkThread();
        enrolled();
        int rc = LibPvm.pvm_parent();
        if (rc == PvmError.NO_PARENT.code() || rc == PvmError.PARENT_NOT_SET.code()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(check("pvm_parent", rc));
    }

    @Override
    public int tidToHost(int t) {
        checkThread();
        enrolled();
        return check("pvm_tidtohost(" + new TaskId(t) + ")", LibPvm.pvm_tidtohost(t));
    }

    @Override
    public VmConfig config() {
        checkThread();
        enrolled();
        int[] nhost = new int[1];
        int[] narch = new int[1];
        PointerByReference hostp = new PointerByReference();
        check("pvm_config", LibPvm.pvm_config(nhost, narch, hostp));
        List<HostInfo> hosts = new ArrayList<>(nhost[0]);
        if (nhost[0] > 0) {
            Structs.PvmHostInfo first = new Structs.PvmHostInfo(hostp.getValue());
            for (com.sun.jna.Structure s : first.toArray(nhost[0])) {
                Structs.PvmHostInfo h = (Structs.PvmHostInfo) s;
                hosts.add(new HostInfo(h.hi_tid, h.hi_name, h.hi_arch, h.hi_speed, h.hi_dsig));
            }
        }
        return new VmConfig(hosts, narch[0]);
    }

    @Override
    public List<TaskInfo> tasks(int where) {
        checkThread();
        enrolled();
        int[] ntask = new int[1];
        PointerByReference taskp = new PointerByReference();
        check("pvm_tasks(" + Integer.toHexString(where) + ")", LibPvm.pvm_tasks(where, ntask, taskp));
        List<TaskInfo> tasks = new ArrayList<>(ntask[0]);
        if (ntask[0] > 0) {
            Structs.PvmTaskInfo first = new Structs.PvmTaskInfo(taskp.getValue());
            for (com.sun.jna.Structure s : first.toArray(ntask[0])) {
                Structs.PvmTaskInfo t = (Structs.PvmTaskInfo) s;
                tasks.add(new TaskInfo(t.ti_tid, t.ti_ptid, t.ti_host, t.ti_flag, t.ti_a_out, t.ti_pid));
            }
        }
        return tasks;
    }

    @Override
    public List<SpawnResult> spawn(String program, List<String> argv, int flags, String where, int count) {
        checkThread();
        String op = "pvm_spawn(" + program + ", where=" + where + ", count=" + count + ")";
        if (program == null || !program.startsWith("/")) {
            throw new PvmException(op, PvmError.BAD_PARAM.code(), "the program must be an absolute path (pvm_spawn does not search PATH): " + program);
        }
        if (count <= 0) {
            throw new PvmException(op, PvmError.BAD_PARAM.code(), "count must be positive, got " + count);
        }
        enrolled();
        int[] tids = new int[count];
        StringArray args = argv == null || argv.isEmpty() ? null : new StringArray(argv.toArray(new String[0]));
        int started = check(op, LibPvm.pvm_spawn(program, args, flags, where, count, tids));
        List<SpawnResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // slots that did not start hold their error code; a short return with a 0 slot is an unknown failure
            results.add(new SpawnResult(i < started || tids[i] < 0 ? tids[i] : PvmError.SYS_ERR.code()));
        }
        return results;
    }

    /**
     * Packs {@code data} as the whole message. The bytes are copied once, into a native staging
     * buffer that is packed in place ({@code PvmDataInPlace}): libpvm writes it straight to the
     * socket in {@code pvm_send}, which returns only once it has, so the buffer is free again
     * afterwards. This saves JNA's copy of the array into and back out of a temporary native array
     * and libpvm's copy into its fragments. A message to this task itself is queued by libpvm
     * without being written anywhere, so it is packed by copy ({@code PvmDataRaw}).
     *
     * @return a staging buffer too big to keep, to close after the send; or null
     */
    private Memory pack(String op, byte[] data, boolean toSelf) {
        if (data.length > options.maxMessageBytes()) {
            throw new PvmException(op, PvmError.BAD_PARAM.code(), "message of " + data.length
                    + " bytes exceeds the maximum message size of " + options.maxMessageBytes() + " bytes");
        }
        enrolled();
        if (data.length == 0 || toSelf) {
            check(op + "/pvm_initsend", LibPvm.pvm_initsend(LibPvm.PvmDataRaw));
            if (data.length > 0) {
                check(op + "/pvm_pkbyte", LibPvm.pvm_pkbyte(data, data.length, 1));
            }
            return null;
        }
        Memory oversize = data.length > RETAINED_BUFFER_BYTES ? new Memory(data.length) : null;
        Memory staged = oversize != null ? oversize : (sendBuffer = grown(sendBuffer, data.length));
        try {
            staged.write(0, data, 0, data.length);
            check(op + "/pvm_initsend", LibPvm.pvm_initsend(LibPvm.PvmDataInPlace));
            check(op + "/pvm_pkbyte", LibPvm.pvm_pkbyte(staged, data.length, 1));
            return oversize;
        } catch (RuntimeException e) {
            if (oversize != null) {
                oversize.close();
            }
            throw e;
        }
    }

    /** {@code kept} if it holds {@code n} bytes, else a new buffer of the next power of two (the old one freed). */
    private static Memory grown(Memory kept, int n) {
        if (kept != null && kept.size() >= n) {
            return kept;
        }
        if (kept != null) {
            kept.close();
        }
        return new Memory(Math.max(4096L, Long.highestOneBit(n - 1L) << 1));
    }

    @Override
    public void send(int t, int tag, byte[] data) {
        checkThread();
        String op = "pvm_send(" + new TaskId(t) + ", tag " + tag + ")";
        Memory oversize = pack(op, data, t == tid);
        try {
            check(op, LibPvm.pvm_send(t, tag));
        } finally {
            if (oversize != null) {
                oversize.close();
            }
        }
    }

    @Override
    public void mcast(int[] tids, int tag, byte[] data) {
        checkThread();
        String op = "pvm_mcast(" + tids.length + " tasks, tag " + tag + ")";
        boolean toSelf = false;
        for (int t : tids) {
            toSelf |= t == tid;
        }
        Memory oversize = pack(op, data, toSelf);
        try {
            check(op, LibPvm.pvm_mcast(tids, tids.length, tag));
        } finally {
            if (oversize != null) {
                oversize.close();
            }
        }
    }

    @Override
    public Optional<Inbound> receive(int source, int tag, double timeoutSeconds) {
        checkThread();
        enrolled();
        int bufid;
        String op = "pvm_recv(" + source + ", " + tag + ")";
        if (timeoutSeconds < 0) {
            bufid = LibPvm.pvm_trecv(source, tag, null);
        } else if (timeoutSeconds == 0) {
            bufid = LibPvm.pvm_nrecv(source, tag);
        } else {
            long micros = (long) Math.ceil(timeoutSeconds * 1e6);
            timeval.setLong(0, micros / 1_000_000);
            timeval.setLong(8, micros % 1_000_000);
            bufid = LibPvm.pvm_trecv(source, tag, timeval);
        }
        check(op, bufid);
        if (bufid == 0) {
            return Optional.empty();
        }
        return Optional.of(unpack(bufid));
    }

    private Inbound unpack(int bufid) {
        check("pvm_bufinfo", LibPvm.pvm_bufinfo(bufid, bytesOut, tagOut, srcOut));
        int bytes = bytesOut[0];
        int tag = tagOut[0];
        int src = srcOut[0];
        NotifyKind kind = notifyTags.get(tag);
        if (kind != null && src == TaskId.TIDPVMD) {
            int[] ints = new int[bytes / 4];
            if (ints.length > 0 && LibPvm.pvm_upkint(ints, ints.length, 1) < 0) {
                return new Inbound.Refused(src, tag, bytes, "notify body does not unpack as ints");
            }
            List<Integer> ids = new ArrayList<>(ints.length);
            if (kind == NotifyKind.HOST_ADD) {
                int n = ints.length > 0 ? Math.min(ints[0], ints.length - 1) : 0;
                for (int i = 1; i <= n; i++) {
                    ids.add(ints[i]);
                }
            } else {
                for (int v : ints) {
                    ids.add(v);
                }
            }
            return new Inbound.Notification(src, tag, kind, ids);
        }
        if (bytes > options.maxMessageBytes()) {
            LibPvm.pvm_freebuf(bufid);
            return new Inbound.Refused(src, tag, bytes, "message of " + bytes
                    + " bytes exceeds the maximum message size of " + options.maxMessageBytes() + " bytes");
        }
        byte[] data = new byte[bytes];
        if (bytes > 0) {
            // into a kept native buffer, then into the array: cheaper than JNA's array marshalling,
            // which copies the array into a temporary native one and back
            Memory oversize = bytes > RETAINED_BUFFER_BYTES ? new Memory(bytes) : null;
            Memory staged = oversize != null ? oversize : (receiveBuffer = grown(receiveBuffer, bytes));
            try {
                int rc = LibPvm.pvm_upkbyte(staged, bytes, 1);
                if (rc < 0) {
                    PvmError e = PvmError.ofCode(rc);
                    return new Inbound.Refused(src, tag, bytes, "does not unpack as bytes: "
                            + (e != null ? e.describe() : rc));
                }
                staged.read(0, data, 0, bytes);
            } finally {
                if (oversize != null) {
                    oversize.close();
                }
            }
        }
        return new Inbound.Message(src, tag, data);
    }

    @Override
    public boolean probe(int source, int tag) {
        checkThread();
        enrolled();
        return check("pvm_probe(" + source + ", " + tag + ")", LibPvm.pvm_probe(source, tag)) > 0;
    }

    @Override
    public void notify(NotifyKind kind, int tag, int[] ids) {
        checkThread();
        enrolled();
        String op = "pvm_notify(" + kind + ", tag " + tag + ")";
        if (kind == NotifyKind.HOST_ADD) {
            check(op, LibPvm.pvm_notify(kind.code(), tag, -1, null));
        } else {
            if (ids == null || ids.length == 0) {
                throw new PvmException(op, PvmError.BAD_PARAM.code(), "no ids to watch");
            }
            check(op + " " + Arrays.toString(ids), LibPvm.pvm_notify(kind.code(), tag, ids.length, ids));
        }
        notifyTags.put(tag, kind);
    }

    @Override
    public void kill(int t) {
        checkThread();
        enrolled();
        String op = "pvm_kill(" + new TaskId(t) + ")";
        check(op, LibPvm.pvm_pstat(t));
        check(op, LibPvm.pvm_kill(t));
    }

    @Override
    public void sendSignal(int t, int signal) {
        checkThread();
        enrolled();
        String op = "pvm_sendsig(" + new TaskId(t) + ", " + signal + ")";
        if (signal < 1 || signal > 64) {
            throw new PvmException(op, PvmError.BAD_PARAM.code(), "no signal number " + signal);
        }
        check(op, LibPvm.pvm_pstat(t));
        check(op, LibPvm.pvm_sendsig(t, signal));
    }

    @Override
    public PvmError taskStatus(int t) {
        checkThread();
        enrolled();
        int rc = LibPvm.pvm_pstat(t);
        if (rc == PvmError.NO_TASK.code()) {
            return PvmError.NO_TASK;
        }
        check("pvm_pstat(" + new TaskId(t) + ")", rc);
        return PvmError.OK;
    }

    @Override
    public void exit() {
        checkThread();
        if (tid > 0) {
            tid = 0;
            notifyTags.clear();
            check("pvm_exit", LibPvm.pvm_exit());
        }
    }

    @Override
    public void catchOutput(boolean on) {
        checkThread();
        enrolled();
        Pointer out = null;
        if (on) {
            out = LibC.stdout();
            LibC.setvbuf(out, null, 1 /* _IOLBF */, 0);
        }
        check("pvm_catchout", LibPvm.pvm_catchout(out));
    }

    @Override
    public int setOption(PvmOption option, int value) {
        checkThread();
        if (option != PvmOption.AUTO_ERR) {
            enrolled();
        }
        return check("pvm_setopt(" + option + ", " + value + ")", LibPvm.pvm_setopt(option.code(), value));
    }

    /**
     * Waits in {@code poll()} on libpvm's sockets on a helper thread named
     * {@value #WATCHER_THREAD}; {@link InboundWatcher#arm()} reads {@link #fileDescriptors()} and so
     * must be called on the owner thread.
     */
    @Override
    public InboundWatcher watchInbound(Runnable onReadable) {
        checkThread();
        return new FdInboundWatcher(this, onReadable, WATCHER_THREAD);
    }

    /** The file descriptors libpvm waits on ({@code pvm_getfds}); they change as routes open. */
    public int[] fileDescriptors() {
        checkThread();
        enrolled();
        PointerByReference fds = new PointerByReference();
        int n = check("pvm_getfds", LibPvm.pvm_getfds(fds));
        return n == 0 ? new int[0] : fds.getValue().getIntArray(0, n);
    }

    @Override
    public List<HostResult> addHosts(List<String> hosts) {
        return hostOp("pvm_addhosts", hosts, true);
    }

    @Override
    public List<HostResult> deleteHosts(List<String> hosts) {
        return hostOp("pvm_delhosts", hosts, false);
    }

    private List<HostResult> hostOp(String name, List<String> hosts, boolean add) {
        checkThread();
        enrolled();
        if (hosts.isEmpty()) {
            return List.of();
        }
        int[] infos = new int[hosts.size()];
        StringArray arr = new StringArray(hosts.toArray(new String[0]));
        int rc = add ? LibPvm.pvm_addhosts(arr, hosts.size(), infos) : LibPvm.pvm_delhosts(arr, hosts.size(), infos);
        // rc < 0 with per-host infos filled (e.g. all PvmNoHost) is reported per host, like pvm_spawn
        if (rc < 0 && Arrays.stream(infos).allMatch(i -> i == 0)) {
            check(name + hosts, rc);
        }
        List<HostResult> out = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            out.add(new HostResult(hosts.get(i), infos[i]));
        }
        return out;
    }

    @Override
    public void halt() {
        checkThread();
        enrolled();
        int rc = LibPvm.pvm_halt();
        tid = 0;
        // pvm_halt kills this task's connection too: PvmSysErr afterwards is the expected outcome
        if (rc < 0 && rc != PvmError.SYS_ERR.code()) {
            check("pvm_halt", rc);
        }
    }

    /** True after a successful {@link #mytid()} and before {@link #exit()}. */
    public boolean isEnrolled() {
        return tid > 0;
    }
}
