package org.pvmakka.tests.multihost;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real multi-host PVM 3.4 virtual machine on this one Linux machine, for integration tests.
 *
 * <p>Every extra PVM host is a Linux network namespace {@code pvmak1..N} with its own IP address
 * ({@code <net>.11}, {@code <net>.12}, ...) on a veth pair {@code pvmakv<i>} attached to a bridge
 * {@code pvmakbr0} ({@code <net>.1/24}) in the root namespace. The master pvmd runs in the root
 * network namespace (so this JVM reaches it through the Unix socket in {@link #pvmTmp()}), named
 * {@code pvmak0}, inside a private mount + UTS namespace where a generated hosts file is
 * bind-mounted over {@code /etc/hosts}: nothing on the machine's {@code /etc/hosts} changes. The
 * master starts slave pvmds through {@code PVM_RSH} = a generated script that runs the pvmd command
 * line with {@code ip netns exec <host> unshare --uts} instead of logging in. Real pvmd, real
 * libpvm3, real UDP between the daemons; nothing is mocked.
 *
 * <p>{@link #start} does not add the hosts: the test does ({@code pvm_addhosts("pvmak1")}, ...),
 * so that the add itself can be tested and timed.
 *
 * <p>Everything is generated at run time in the work directory; only root, {@code ip} (iproute2),
 * {@code unshare} (util-linux) and Debian's PVM ({@code /usr/bin/pvmd}, {@code libpvm3}) are
 * needed. Tests call {@link #unavailableReason()} to skip with a reason when the machine cannot
 * run it.
 *
 * <p>Safety: everything this class creates carries the prefix {@value #PREFIX}; it only ever
 * removes links and namespaces with that prefix, and only kills processes that it started itself
 * or that run inside one of its own namespaces (found with {@code ip netns pids}). A machine-wide
 * lock file ({@value #LOCK_FILE}) serialises concurrent users (two test JVMs, two builds): the
 * leftovers swept at start are therefore certainly stale. {@link #close()} undoes everything; it
 * is idempotent and also runs from a JVM shutdown hook, so an interrupted test run cleans up too.
 * A {@code kill -9} of the JVM leaves things behind; the next {@link #start} sweeps them.
 *
 * <p>Known limits (see the multi-host recipe): a slave pvmd stopped with SIGTERM is noticed at
 * once (its HostDelete and TaskExit notifies arrive within milliseconds); one stopped with SIGKILL
 * is only declared dead by the master after about 3 to 6 minutes (PVM's compiled-in timeouts).
 */
public final class NamespaceVm implements AutoCloseable {
    /** The prefix of every name this class creates. */
    public static final String PREFIX = "pvmak";
    /** The master host's PVM name. */
    public static final String MASTER = PREFIX + "0";
    /** The bridge in the root network namespace. */
    public static final String BRIDGE = PREFIX + "br0";
    /** Host-side veth names are this plus the host number. */
    public static final String VETH_PREFIX = PREFIX + "v";
    /** Debian's daemon. */
    public static final String PVMD = "/usr/bin/pvmd";
    /** Debian's PVM_ROOT. */
    public static final String PVM_ROOT = "/usr/lib/pvm3";
    /** The machine-wide lock held while a NamespaceVm exists. */
    public static final String LOCK_FILE = "/run/" + PREFIX + ".lock";
    /** The most hosts: {@code <net>.11 .. <net>.210}. */
    public static final int MAX_HOSTS = 200;

    private static final Pattern OUR_NETNS = Pattern.compile(Pattern.quote(PREFIX) + "[0-9]+");
    private static final Pattern OUR_LINK = Pattern.compile(Pattern.quote(PREFIX) + "(br0|v[0-9]+)");
    private static final Path BRIDGE_NF = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
    /** Where a changed bridge-nf-call-iptables value is remembered, so a crashed run's change is undone. */
    private static final Path BRIDGE_NF_SAVED = Path.of("/run/" + PREFIX + "-bridge-nf-call-iptables.saved");
    private static final Path RUN_NETNS = Path.of("/run/netns");
    private static final List<String> SEARCH_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
            "/sbin", "/bin");
    /** The /24 networks tried, in order: 10.233.7.0/24 first. */
    private static final int FIRST_THIRD_OCTET = 7;
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Unix socket paths ({@code $PVM_TMP/pvmtmp<pid>.0}) must fit in sun_path (108 bytes). */
    private static final int MAX_PVM_TMP_LENGTH = 88;

    private static NamespaceVm active;

    private final Path workDir;
    private final List<String> hostNames;
    private final String ip;
    private final String unshare;
    private final Path pvmTmp;
    private final Path slaveTmpRoot;
    private final Path hostsFile;
    private final Path rshScript;
    private final Path masterOut;
    private final Thread shutdownHook;
    private final List<String> createdNamespaces = new ArrayList<>();
    private final List<String> createdLinks = new ArrayList<>();
    private final Map<String, String> extraEnv;
    private final boolean runNetnsExisted;
    private String net;
    private Process master;
    private String bridgeNfOld;
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean closed;

    private NamespaceVm(Path workDir, int hosts, String ip, String unshare, Map<String, String> extraEnv) {
        this.workDir = workDir;
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            names.add(PREFIX + i);
        }
        this.hostNames = Collections.unmodifiableList(names);
        this.ip = ip;
        this.unshare = unshare;
        this.extraEnv = Map.copyOf(extraEnv);
        this.pvmTmp = workDir.resolve("master-tmp");
        this.slaveTmpRoot = workDir.resolve("tmp");
        this.hostsFile = workDir.resolve("hosts");
        this.rshScript = workDir.resolve("pvm-netns-rsh");
        this.masterOut = workDir.resolve("master.out");
        this.runNetnsExisted = Files.isDirectory(RUN_NETNS);
        this.shutdownHook = new Thread(this::close, "NamespaceVm-cleanup");
    }

    // ------------------------------------------------------------------ availability

    /**
     * Why this machine cannot run a NamespaceVm, or empty when it can. Meant for
     * {@code Assumptions.assumeTrue(reason.isEmpty(), ...)}.
     */
    public static Optional<String> unavailableReason() {
        long uid = effectiveUid();
        if (uid != 0) {
            return Optional.of("not root (effective uid " + (uid < 0 ? "unknown" : uid) + "): a multi-host PVM on one"
                    + " machine needs root for network namespaces, veth/bridge links and a bind-mounted hosts file");
        }
        if (findExecutable("ip").isEmpty()) {
            return Optional.of("the 'ip' command (iproute2) was not found in PATH or " + SEARCH_DIRS
                    + "; install it with: apt-get install -y iproute2");
        }
        if (findExecutable("unshare").isEmpty()) {
            return Optional.of("the 'unshare' command (util-linux) was not found in PATH or " + SEARCH_DIRS
                    + "; install it with: apt-get install -y util-linux");
        }
        return Optional.empty();
    }

    private static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return Long.parseLong(f.length > 1 ? f[1] : f[0]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back to id -u
        }
        try {
            Result r = run(List.of("id", "-u"), 5);
            return r.code == 0 ? Long.parseLong(r.out.trim()) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Optional<String> findExecutable(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(SEARCH_DIRS);
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath().toString());
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ start

    /**
     * Sweeps leftovers of an earlier crashed run, creates the network for {@code hosts} namespace
     * hosts and starts the master pvmd. Does not add the hosts.
     *
     * @param workDir a directory of this run (created; its {@code master-tmp} and {@code tmp} are
     *     wiped); must be short enough for Unix socket paths
     * @param hosts how many namespace hosts, 1 to {@value #MAX_HOSTS}
     * @throws IllegalStateException when the machine cannot run it ({@link #unavailableReason}), or
     *     the master pvmd does not come up (with its output)
     */
    public static NamespaceVm start(Path workDir, int hosts) throws IOException {
        return start(workDir, hosts, Map.of());
    }

    /**
     * Like {@link #start(Path, int)}, with extra environment for the master pvmd, which every
     * slave pvmd and every spawned task inherits (for example {@code PVM_PATH}, {@code JAVA_HOME}).
     */
    public static NamespaceVm start(Path workDir, int hosts, Map<String, String> extraEnv) throws IOException {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("hosts must be 1.." + MAX_HOSTS + ", got " + hosts);
        }
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException("cannot start a multi-host PVM: " + reason.get());
        }
        if (!Files.isExecutable(Path.of(PVMD))) {
            throw new IllegalStateException("no pvmd at " + PVMD + ": install PVM with "
                    + "'apt-get install -y pvm pvm-dev libpvm3' (as root)");
        }
        Path dir = workDir.toAbsolutePath().normalize();
        int longest = Math.max(dir.resolve("master-tmp").toString().length(),
                dir.resolve("tmp").resolve(PREFIX + hosts).toString().length());
        if (longest > MAX_PVM_TMP_LENGTH) {
            throw new IllegalArgumentException("work dir " + dir + " is too long: PVM's Unix socket paths under it"
                    + " would not fit in 108 bytes; use a shorter directory");
        }
        NamespaceVm vm;
        synchronized (NamespaceVm.class) {
            if (active != null) {
                throw new IllegalStateException("a NamespaceVm is already running in this JVM (" + active.workDir
                        + "); close it first");
            }
            vm = new NamespaceVm(dir, hosts, findExecutable("ip").orElseThrow(),
                    findExecutable("unshare").orElseThrow(), extraEnv);
            active = vm;
        }
        try {
            Runtime.getRuntime().addShutdownHook(vm.shutdownHook);
            vm.setUp();
            return vm;
        } catch (Throwable t) {
            try {
                vm.close();
            } catch (RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    private void setUp() throws IOException {
        long t0 = System.nanoTime();
        acquireLock();
        sweep();
        net = chooseSubnet();
        Files.createDirectories(workDir);
        deleteTree(pvmTmp);
        deleteTree(slaveTmpRoot);
        Files.createDirectories(pvmTmp);
        Files.createDirectories(slaveTmpRoot);
        createNetwork();
        handleBridgeNetfilter();
        writeHostsFile();
        writeRshScript();
        long tNet = System.nanoTime();
        startMaster();
        long tReady = System.nanoTime();
        log(String.format("up: bridge %s %s.1/24, hosts %s, master %s pvmd pid %d; network %.0f ms, pvmd ready %.0f ms,"
                + " work dir %s", BRIDGE, net, hostNames.stream().map(h -> h + "=" + hostAddress(h))
                        .collect(Collectors.joining(" ")), MASTER, master.pid(), (tNet - t0) / 1e6,
                (tReady - tNet) / 1e6, workDir));
    }

    private void acquireLock() throws IOException {
        lockChannel = FileChannel.open(Path.of(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean told = false;
        while (true) {
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another process holds " + LOCK_FILE + " (pid "
                        + Files.readString(Path.of(LOCK_FILE)).trim() + ") for more than 120 s; is a multi-host PVM test"
                        + " still running?");
            }
            if (!told) {
                log("waiting for " + LOCK_FILE + ": another multi-host PVM test is running");
                told = true;
            }
            sleep(200);
        }
        lockChannel.truncate(0);
        lockChannel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                0);
    }

    /** Removes what an earlier, crashed run left: only names with our prefix. */
    private void sweep() {
        List<String> staleNs = ourNamespaces();
        List<String> staleLinks = ourLinks();
        for (String ns : staleNs) {
            killAllIn(ns, 0);
        }
        // veths first (deleting one end removes its peer in the namespace), then the bridge
        staleLinks.sort(Comparator.comparing((String l) -> l.equals(BRIDGE)));
        for (String l : staleLinks) {
            run(List.of(ip, "link", "del", l), 10);
        }
        for (String ns : staleNs) {
            run(List.of(ip, "netns", "del", ns), 10);
        }
        if (!staleNs.isEmpty() || !staleLinks.isEmpty()) {
            log("swept leftovers of an earlier run: namespaces " + staleNs + ", links " + staleLinks);
        }
        restoreSavedBridgeNetfilter();
        List<Long> stray = strayMasters();
        if (!stray.isEmpty()) {
            log("WARNING: pvmd process(es) " + stray + " named " + MASTER + " from an earlier run are still running in the"
                    + " root namespace; not killed (not started by this run); stop them with: kill " + stray.stream()
                            .map(String::valueOf).collect(Collectors.joining(" ")));
        }
    }

    private List<String> ourNamespaces() {
        return ourNamespaces(ip);
    }

    private static List<String> ourNamespaces(String ip) {
        Result r = run(List.of(ip, "netns", "list"), 10);
        List<String> out = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (OUR_NETNS.matcher(name).matches()) {
                out.add(name);
            }
        }
        return out;
    }

    private List<String> ourLinks() {
        return ourLinks(ip);
    }

    private static List<String> ourLinks(String ip) {
        Result r = run(List.of(ip, "-o", "link", "show"), 10);
        List<String> out = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length < 2) {
                continue;
            }
            String name = f[1];
            int at = name.indexOf('@');
            if (at >= 0) {
                name = name.substring(0, at);
            }
            if (OUR_LINK.matcher(name).matches()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Master pvmds of earlier runs: {@code pvmd -npvmak0} in the root network namespace. */
    private List<Long> strayMasters() {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(n);
                if (master != null && pid == master.pid()) {
                    continue;
                }
                try {
                    String cmd = Files.readString(p.resolve("cmdline"));
                    if (cmd.equals(PVMD + "\0-n" + MASTER + "\0")) {
                        out.add(pid);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone, or not readable
                }
            }
        } catch (IOException e) {
            // no /proc listing: nothing to warn about
        }
        return out;
    }

    private String chooseSubnet() {
        String addrs = run(List.of(ip, "-4", "-o", "addr", "show"), 10).out;
        String routes = run(List.of(ip, "-4", "route", "show", "table", "all"), 10).out;
        for (int o = FIRST_THIRD_OCTET; o < 255; o++) {
            String candidate = "10.233." + o;
            String needle = candidate + ".";
            if (!addrs.contains(" " + needle) && !routes.contains(needle)) {
                if (o != FIRST_THIRD_OCTET) {
                    log("10.233." + FIRST_THIRD_OCTET + ".0/24 is in use here; using " + candidate + ".0/24");
                }
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.233.x.0/24 network on this machine");
    }

    private void createNetwork() {
        for (String ns : hostNames) {
            if (ourNamespaces().contains(ns)) {
                throw new IllegalStateException("network namespace " + ns + " exists after the sweep");
            }
        }
        ipOrThrow("link", "add", BRIDGE, "type", "bridge");
        createdLinks.add(BRIDGE);
        disableIpv6(null, BRIDGE);
        ipOrThrow("addr", "add", net + ".1/24", "dev", BRIDGE);
        ipOrThrow("link", "set", BRIDGE, "up");
        for (int i = 1; i <= hostNames.size(); i++) {
            String ns = hostNames.get(i - 1);
            String veth = VETH_PREFIX + i;
            ipOrThrow("netns", "add", ns);
            createdNamespaces.add(ns);
            // the peer is created directly inside the namespace, as eth0
            ipOrThrow("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            createdLinks.add(veth);
            disableIpv6(null, veth);
            disableIpv6(ns, "eth0");
            ipOrThrow("link", "set", veth, "master", BRIDGE, "up");
            ipOrThrow("-n", ns, "addr", "add", hostAddress(ns) + "/24", "dev", "eth0");
            ipOrThrow("-n", ns, "link", "set", "eth0", "up");
            ipOrThrow("-n", ns, "link", "set", "lo", "up");
        }
    }

    /** Optional: no IPv6 autoconfiguration chatter on our links. */
    private void disableIpv6(String ns, String dev) {
        String file = "/proc/sys/net/ipv6/conf/" + dev + "/disable_ipv6";
        if (ns == null) {
            try {
                Path p = Path.of(file);
                if (Files.isWritable(p)) {
                    Files.writeString(p, "1");
                }
            } catch (IOException ignored) {
                // optional
            }
        } else {
            run(List.of(ip, "netns", "exec", ns, "/bin/sh", "-c", "[ -w " + file + " ] && echo 1 > " + file + "; true"), 10);
        }
    }

    /**
     * bridge-nf-call-iptables = 1 (br_netfilter loaded) sends bridged slave-to-slave traffic through
     * the iptables FORWARD chain; with a DROP policy there (Docker hosts) it is dropped while
     * master-to-slave traffic still works. The setting is left alone unless some forward filtering
     * is actually configured; then it is set to 0 for the bridge's lifetime and restored in close()
     * (and, should this JVM die, by the next start's sweep).
     */
    private void handleBridgeNetfilter() throws IOException {
        if (!Files.exists(BRIDGE_NF)) {
            return;
        }
        String old = Files.readString(BRIDGE_NF).trim();
        if (!"1".equals(old)) {
            return;
        }
        Optional<String> filtering = forwardFiltering();
        if (filtering.isEmpty()) {
            log("bridge-nf-call-iptables is 1 but no forward filtering is configured (" + filteringChecks()
                    + "): left as it is");
            return;
        }
        Files.writeString(BRIDGE_NF_SAVED, old + "\n");
        Files.writeString(BRIDGE_NF, "0");
        bridgeNfOld = old;
        log("bridge-nf-call-iptables set to 0 until close() because " + filtering.get()
                + " (bridged slave-to-slave PVM traffic would be dropped otherwise)");
    }

    private String filteringChecks() {
        List<String> checked = new ArrayList<>();
        findExecutable("iptables").ifPresent(x -> checked.add("iptables -S FORWARD"));
        findExecutable("nft").ifPresent(x -> checked.add("nft list ruleset"));
        checked.add("/proc/net/ip_tables_names");
        return "checked " + String.join(", ", checked);
    }

    private Optional<String> forwardFiltering() {
        Optional<String> iptables = findExecutable("iptables");
        if (iptables.isPresent()) {
            Result r = run(List.of(iptables.get(), "-w", "5", "-S", "FORWARD"), 15);
            if (r.code == 0) {
                for (String l : r.out.split("\n")) {
                    if (l.startsWith("-A FORWARD") || (l.startsWith("-P FORWARD") && !l.contains("ACCEPT"))) {
                        return Optional.of("iptables has FORWARD rules ('" + l.trim() + "')");
                    }
                }
            } else {
                return Optional.of("'iptables -S FORWARD' failed (" + r.out.trim() + ")");
            }
        }
        Optional<String> nft = findExecutable("nft");
        if (nft.isPresent()) {
            Result r = run(List.of(nft.get(), "list", "ruleset"), 15);
            if (r.code != 0 || r.out.contains("hook forward")) {
                return Optional.of("nftables has a forward hook");
            }
        }
        if (iptables.isEmpty()) {
            try {
                Path names = Path.of("/proc/net/ip_tables_names");
                if (Files.exists(names) && Files.readString(names).contains("filter")) {
                    return Optional.of("an iptables filter table is loaded and no iptables command can inspect it");
                }
            } catch (IOException ignored) {
                // unreadable: assume none
            }
        }
        return Optional.empty();
    }

    private void restoreSavedBridgeNetfilter() {
        try {
            if (Files.exists(BRIDGE_NF_SAVED)) {
                String v = Files.readString(BRIDGE_NF_SAVED).trim();
                if (Files.exists(BRIDGE_NF) && v.matches("[01]")) {
                    Files.writeString(BRIDGE_NF, v);
                    log("restored bridge-nf-call-iptables = " + v + " changed by an earlier run");
                }
                Files.delete(BRIDGE_NF_SAVED);
            }
        } catch (IOException e) {
            log("could not restore bridge-nf-call-iptables from " + BRIDGE_NF_SAVED + ": " + e);
        }
    }

    private void writeHostsFile() throws IOException {
        StringBuilder b = new StringBuilder();
        Path etc = Path.of("/etc/hosts");
        if (Files.isReadable(etc)) {
            // keep the machine's entries except any for our names: the first match would win
            Pattern ours = Pattern.compile("(^|\\s)" + Pattern.quote(PREFIX) + "[0-9]+(\\s|$)");
            for (String line : Files.readAllLines(etc)) {
                String data = line.replaceFirst("#.*", "");
                if (!ours.matcher(data).find()) {
                    b.append(line).append('\n');
                }
            }
        }
        b.append("# multi-host PVM test (NamespaceVm), private to the master pvmd\n");
        b.append(net).append(".1 ").append(MASTER).append('\n');
        for (String h : hostNames) {
            b.append(hostAddress(h)).append(' ').append(h).append('\n');
        }
        Files.writeString(hostsFile, b.toString());
    }

    private void writeRshScript() throws IOException {
        String script = "#!/bin/sh\n"
                + "# Generated by NamespaceVm: PVM_RSH replacement; \"log in to host $1\" == enter network namespace $1.\n"
                + "# pvmd calls it as: <script> <host> [-l <login>] '<pvmd command line>'\n"
                + "host=$1; shift\n"
                + "if [ \"$1\" = \"-l\" ]; then shift 2; fi\n"
                + "case \"$host\" in\n"
                + "  " + PREFIX + "[0-9]*) ;;\n"
                + "  *) echo \"pvm-netns-rsh: $host is not a host of this test VM\" >&2; exit 1 ;;\n"
                + "esac\n"
                + "tmp=" + shq(slaveTmpRoot.toString()) + "/\"$host\"\n"
                + "mkdir -p \"$tmp\" || exit 1\n"
                + "exec " + shq(ip) + " netns exec \"$host\" " + shq(unshare) + " --uts \\\n"
                + "     env PVM_TMP=\"$tmp\" /bin/sh -c \"hostname $host && exec $*\"\n";
        Files.writeString(rshScript, script);
        Files.setPosixFilePermissions(rshScript, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void startMaster() throws IOException {
        String inner = "mount --bind " + shq(hostsFile.toString()) + " /etc/hosts && hostname " + MASTER + " && exec "
                + PVMD + " -n" + MASTER;
        ProcessBuilder pb = new ProcessBuilder(unshare, "--mount", "--uts", "/bin/sh", "-c", inner);
        Map<String, String> env = pb.environment();
        env.remove("PVMSOCK");
        env.remove("PVMEPID");
        env.put("PATH", pathWithSbin(env.get("PATH")));
        env.put("PVM_ROOT", PVM_ROOT);
        env.put("PVM_ALLOW_ROOT", "1");
        env.put("PVM_RSH", rshScript.toString());
        env.put("PVM_TMP", pvmTmp.toString());
        env.putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(masterOut.toFile()).redirectInput(new File("/dev/null"));
        master = pb.start();
        Path addr = pvmTmp.resolve("pvmd." + effectiveUid());
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            if (Files.exists(addr) && Files.size(addr) > 0) {
                String comm = readQuietly(Path.of("/proc", String.valueOf(master.pid()), "comm")).trim();
                if (!comm.equals("pvmd")) {
                    log("note: master pid " + master.pid() + " is '" + comm + "', not pvmd");
                }
                return;
            }
            if (!master.isAlive()) {
                break;
            }
            sleep(10);
        }
        boolean alive = master.isAlive();
        throw new IllegalStateException("master pvmd " + (alive ? "not ready within 10 s" : "exited with status "
                + master.exitValue()) + " (" + addr + " missing or empty); output: " + masterOutput());
    }

    private static String pathWithSbin(String path) {
        Set<String> dirs = new LinkedHashSet<>();
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(SEARCH_DIRS);
        return String.join(File.pathSeparator, dirs);
    }

    // ------------------------------------------------------------------ accessors

    /** The master's {@code PVM_TMP}: give it to every process that attaches to this VM. */
    public Path pvmTmp() {
        return pvmTmp;
    }

    /** The master pvmd's PID (it runs in the foreground; this JVM started it). */
    public long masterPid() {
        return master.pid();
    }

    /** The master's PVM host name, {@value #MASTER}. */
    public String masterName() {
        return MASTER;
    }

    /** The master's address, {@code <net>.1} on the bridge. */
    public String masterAddress() {
        return net + ".1";
    }

    /** The namespace hosts, {@code pvmak1..N}: pass them to {@code pvm_addhosts}. */
    public List<String> hostNames() {
        return hostNames;
    }

    /** The IPv4 address of a namespace host, {@code <net>.(10+i)}. */
    public String hostAddress(String name) {
        return net + "." + (10 + indexOf(name));
    }

    /** This run's directory. */
    public Path workDir() {
        return workDir;
    }

    /** The hosts file the master pvmd sees as {@code /etc/hosts}. */
    public Path hostsFile() {
        return hostsFile;
    }

    /** The generated {@code PVM_RSH} script. */
    public Path rshScript() {
        return rshScript;
    }

    /**
     * The master pvmd's log ({@code $PVM_TMP/pvml.<uid>}: slave output, start errors, timeouts);
     * after close() a copy in the work dir.
     */
    public Path masterLog() {
        Path live = pvmTmp.resolve("pvml." + effectiveUid());
        return Files.exists(live) ? live : workDir.resolve("master-pvml.log");
    }

    /** The master pvmd's stdout and stderr, plus its log, for failure messages. */
    public String masterOutput() {
        return readQuietly(masterOut).trim() + "\n--- " + masterLog() + ":\n" + readQuietly(masterLog()).trim();
    }

    /** The PIDs of every process in a host's network namespace ({@code ip netns pids}). */
    public List<Long> namespacePids(String name) {
        indexOf(name);
        return pidsIn(name);
    }

    /**
     * The slave pvmd of a namespace host: found with {@code ip netns pids} and
     * {@code /proc/<pid>/comm == "pvmd"} (it daemonizes, so it is no child of anything here).
     *
     * @return its PID, or -1 when none runs
     */
    public long slavePvmdPid(String name) {
        indexOf(name);
        Map<Long, Long> pvmds = new HashMap<>(); // pid -> ppid
        for (long pid : pidsIn(name)) {
            Path proc = Path.of("/proc", String.valueOf(pid));
            if (!readQuietly(proc.resolve("comm")).trim().equals("pvmd")) {
                continue;
            }
            String stat = readQuietly(proc.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                continue;
            }
            String[] f = stat.substring(close + 2).split(" ");
            if (f.length < 2 || f[0].equals("Z") || f[0].equals("X")) {
                continue;
            }
            pvmds.put(pid, Long.parseLong(f[1]));
        }
        // the daemon, not a transient parent or child of it that is also called pvmd
        return pvmds.entrySet().stream().filter(e -> !pvmds.containsKey(e.getValue())).map(Map.Entry::getKey)
                .min(Long::compare).orElse(-1L);
    }

    /**
     * Stops a host's slave pvmd by its PID: SIGTERM (it tells the master and its tasks at once) or
     * SIGKILL (a hard crash: the master notices only after its timeouts, minutes).
     *
     * @return the PID signalled
     * @throws IllegalStateException when no slave pvmd runs on that host
     */
    public long killSlave(String name, boolean hard) {
        long pid = slavePvmdPid(name);
        if (pid <= 0) {
            throw new IllegalStateException("no slave pvmd runs in namespace " + name);
        }
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "slave pvmd " + pid + " of " + name + " is gone already"));
        boolean sent = hard ? h.destroyForcibly() : h.destroy();
        if (!sent) {
            throw new IllegalStateException("could not signal slave pvmd " + pid + " of " + name);
        }
        return pid;
    }

    /**
     * True while a process exists and is not a zombie. (Processes whose parent died are reparented
     * to init; on some machines init reaps them late, and ProcessHandle counts a zombie as alive.)
     */
    public static boolean isRunning(long pid) {
        String stat = readQuietly(Path.of("/proc", String.valueOf(pid), "stat"));
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        return state != 'Z' && state != 'X';
    }

    private int indexOf(String name) {
        int i = hostNames.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(name + " is not a host of this VM " + hostNames);
        }
        return i + 1;
    }

    // ------------------------------------------------------------------ close

    /**
     * Stops the master pvmd (SIGTERM, SIGKILL after 5 s; it stops the slaves and they stop their
     * tasks), kills whatever still runs in our namespaces, deletes the veths, the bridge and the
     * namespaces, restores bridge-nf-call-iptables if it was changed, and deletes the tmp dirs (the
     * master's log is kept as {@code master-pvml.log}). Idempotent; also run by a shutdown hook.
     * Leave PVM ({@code pvm_exit}) before calling it.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            // an interrupted test thread must still clean up: waits below would fail at once
            boolean interrupted = Thread.interrupted();
            if (Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException | IllegalArgumentException ignored) {
                    // shutting down already, or never registered
                }
            }
            List<String> problems = new ArrayList<>();
            long t0 = System.nanoTime();
            step(problems, "stop master pvmd", this::stopMaster);
            long tMaster = System.nanoTime();
            step(problems, "keep master log", this::keepMasterLog);
            for (String ns : createdNamespaces) {
                step(problems, "kill processes in " + ns, () -> killAllIn(ns, 3000));
            }
            long tEmpty = System.nanoTime();
            List<String> links = new ArrayList<>(createdLinks);
            Collections.reverse(links); // veths, then the bridge
            for (String l : links) {
                step(problems, "delete link " + l, () -> {
                    Result r = run(List.of(ip, "link", "del", l), 10);
                    if (r.code != 0 && ourLinks().contains(l)) {
                        throw new IllegalStateException(r.out.trim());
                    }
                });
            }
            for (String ns : createdNamespaces) {
                step(problems, "delete namespace " + ns, () -> {
                    Result r = run(List.of(ip, "netns", "del", ns), 10);
                    if (r.code != 0 && ourNamespaces().contains(ns)) {
                        throw new IllegalStateException(r.out.trim());
                    }
                });
            }
            step(problems, "tidy /run/netns", this::tidyRunNetns);
            step(problems, "restore bridge-nf-call-iptables", this::restoreBridgeNetfilter);
            step(problems, "delete tmp dirs", () -> {
                deleteTree(pvmTmp);
                deleteTree(slaveTmpRoot);
            });
            step(problems, "release lock", this::releaseLock);
            synchronized (NamespaceVm.class) {
                if (active == this) {
                    active = null;
                }
            }
            if (problems.isEmpty()) {
                log(String.format("closed in %.0f ms: master pvmd stopped (%.0f ms), namespaces empty (%.0f ms);"
                        + " namespaces %s and links %s removed", (System.nanoTime() - t0) / 1e6, (tMaster - t0) / 1e6,
                        (tEmpty - tMaster) / 1e6, createdNamespaces, createdLinks));
            } else {
                log("closed with problems: " + problems);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopMaster() throws InterruptedException {
        if (master == null) {
            return;
        }
        if (master.isAlive()) {
            master.destroy(); // SIGTERM: the master sends FIN|ACK to every slave; they exit and stop their tasks
            try {
                if (!master.waitFor(5, TimeUnit.SECONDS)) {
                    log("master pvmd " + master.pid() + " ignored SIGTERM for 5 s: SIGKILL");
                    master.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                master.destroyForcibly();
                throw e;
            }
        }
    }

    private void keepMasterLog() throws IOException {
        Path live = pvmTmp.resolve("pvml." + effectiveUid());
        if (Files.exists(live)) {
            Files.copy(live, workDir.resolve("master-pvml.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Waits up to {@code graceMillis} for a namespace to empty, then SIGKILLs what is left in it. */
    private void killAllIn(String ns, long graceMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        List<Long> pids = pidsIn(ns);
        while (!pids.isEmpty() && System.nanoTime() < deadline) {
            sleep(20);
            pids = pidsIn(ns);
        }
        if (pids.isEmpty()) {
            return;
        }
        log("killing what is left in namespace " + ns + ": " + describe(pids));
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!pidsIn(ns).isEmpty() && System.nanoTime() < hard) {
            sleep(20);
        }
        if (!pidsIn(ns).isEmpty()) {
            throw new IllegalStateException("processes survive SIGKILL in " + ns + ": " + pidsIn(ns));
        }
    }

    private List<Long> pidsIn(String ns) {
        Result r = run(List.of(ip, "netns", "pids", ns), 10);
        List<Long> out = new ArrayList<>();
        if (r.code != 0) {
            return out;
        }
        long me = ProcessHandle.current().pid();
        for (String s : r.out.split("\\s+")) {
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                long pid = Long.parseLong(s);
                if (pid != me) {
                    out.add(pid);
                }
            }
        }
        return out;
    }

    private static String describe(List<Long> pids) {
        return pids.stream().map(p -> p + "(" + readQuietly(Path.of("/proc", String.valueOf(p), "comm")).trim() + ")")
                .collect(Collectors.joining(" "));
    }

    /** {@code ip netns add} creates /run/netns as a bind mount of itself; undo that if we caused it and it is empty. */
    private void tidyRunNetns() throws IOException {
        if (runNetnsExisted || !Files.isDirectory(RUN_NETNS)) {
            return;
        }
        try (Stream<Path> s = Files.list(RUN_NETNS)) {
            if (s.findAny().isPresent()) {
                return;
            }
        }
        run(List.of("umount", RUN_NETNS.toString()), 10);
        try {
            Files.deleteIfExists(RUN_NETNS);
        } catch (IOException ignored) {
            // still mounted, or someone created a namespace meanwhile: harmless
        }
    }

    private void restoreBridgeNetfilter() throws IOException {
        if (bridgeNfOld == null) {
            return;
        }
        Files.writeString(BRIDGE_NF, bridgeNfOld);
        Files.deleteIfExists(BRIDGE_NF_SAVED);
        log("restored bridge-nf-call-iptables = " + bridgeNfOld);
        bridgeNfOld = null;
    }

    private void releaseLock() throws IOException {
        if (lock != null) {
            lock.release();
            lock = null;
        }
        if (lockChannel != null) {
            lockChannel.close();
            lockChannel = null;
        }
    }

    /**
     * Names of ours that exist right now (namespaces and links with the prefix), for tests that
     * check that nothing is left behind after {@link #close()}.
     */
    public static List<String> leftovers() {
        Optional<String> ipCmd = findExecutable("ip");
        if (ipCmd.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        ourNamespaces(ipCmd.get()).forEach(n -> out.add("netns " + n));
        ourLinks(ipCmd.get()).forEach(l -> out.add("link " + l));
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<String> problems, String what, Step s) {
        try {
            s.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            problems.add(what + ": " + e);
        }
    }

    private void ipOrThrow(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ip);
        cmd.addAll(List.of(args));
        Result r = run(cmd, 15);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.out.trim());
        }
    }

    private record Result(int code, String out) {
    }

    /** Runs a short command, stdin from /dev/null, stdout+stderr captured. */
    private static Result run(List<String> cmd, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static String shq(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String s) {
        System.err.println("[NamespaceVm] " + s);
    }
}
