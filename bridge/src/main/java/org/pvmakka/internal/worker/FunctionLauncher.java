package org.pvmakka.internal.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pvmakka.internal.bridge.HostInfo;
import org.pvmakka.internal.bridge.NotifyKind;
import org.pvmakka.internal.bridge.Pvm;
import org.pvmakka.internal.bridge.SpawnResult;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.task.PvmError;
import org.pvmakka.task.PvmException;
import org.pvmakka.task.TaskFunction;

/**
 * Spawns workers that run a {@link TaskFunction} (worker JVMs, or threads of a simulated VM): encodes the request first (so an
 * unregistered argument fails before anything starts), calls {@code pvm_spawn}, registers a
 * TaskExit notify for every started task (so each one ends in an exit notice), and sends each its
 * payload. Runs on the thread that owns the {@link Pvm}. The runtime's own functions (the host
 * probe) start with the core wire types only, so that they do not depend on the user's classes.
 */
public final class FunctionLauncher {
    private final Pvm pvm;
    private final WireCodec codec;
    private final WireSettings wire;
    private final WorkerCommand command;
    private final WireCodec coreCodec;
    private final WireSettings coreWire;

    /** Functions of the runtime itself: they need no user classes. */
    private static final Set<String> SYSTEM_FUNCTIONS = Set.of(HostSentinel.class.getName(),
            HostInfoReporter.class.getName());

    public FunctionLauncher(Pvm pvm, WireCodec codec, WireSettings wire, WorkerCommand command) {
        this.pvm = pvm;
        this.codec = codec;
        this.wire = wire;
        this.command = command;
        this.coreWire = new WireSettings(wire.maxMessageBytes(), List.of(), Map.of());
        this.coreCodec = new WireCodec(coreWire);
    }

    /**
     * Spawns {@code count} tasks running {@code request}.
     *
     * @param flags {@code pvm_spawn} flags (1 = {@code where} is a host name)
     * @param where a host name, or null for PVM's choice
     * @return one result per slot; a slot whose payload could not be sent is reported with that
     *     error and its task killed
     */
    public List<SpawnResult> spawn(SpawnRequest request, int flags, String where, int count) {
        boolean system = SYSTEM_FUNCTIONS.contains(request.functionClass());
        WireCodec c = system ? coreCodec : codec;
        byte[] payload = c.encode(request);
        checkProgramHere(where);
        List<SpawnResult> results = pvm.spawn(command.program(),
                command.argv(c, (system ? coreWire : wire).toJvmOptions()), flags, where, count);
        if (results.stream().noneMatch(SpawnResult::started)) {
            for (SpawnResult r : results) {
                if (r.error() == PvmError.NO_FILE || r.error() == PvmError.DENIED) {
                    throw programMissing(where, r.tid());
                }
            }
        }
        int[] started = results.stream().filter(SpawnResult::started).mapToInt(SpawnResult::tid).toArray();
        if (started.length > 0) {
            pvm.notify(NotifyKind.TASK_EXIT, WireTags.TASK_EXIT, started);
        }
        List<SpawnResult> out = new ArrayList<>(results.size());
        for (SpawnResult r : results) {
            if (r.started()) {
                try {
                    pvm.send(r.tid(), WireTags.SPAWN, payload);
                } catch (PvmException e) {
                    safeKill(r.tid());
                    out.add(new SpawnResult(e.code() < 0 ? e.code() : -14));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    /**
     * When the worker's {@code java} is missing here and the spawn goes to this machine's host, says
     * so before {@code pvm_spawn} (whose slots would only say PvmNoFile).
     */
    private void checkProgramHere(String where) {
        Path java = Path.of(command.program());
        if (Files.isRegularFile(java) && Files.isExecutable(java)) {
            return;
        }
        String here = localHostName();
        if (here != null && (where == null ? pvm.config().hosts().size() == 1 : where.equals(here))) {
            throw programMissing(here, PvmError.NO_FILE.code());
        }
    }

    /** The name of this process's host in the VM, or null when it cannot be told. */
    private String localHostName() {
        try {
            int dtid = pvm.tidToHost(pvm.mytid());
            for (HostInfo h : pvm.config().hosts()) {
                if (h.dtid() == dtid) {
                    return h.name();
                }
            }
        } catch (PvmException e) {
            // not enrolled: pvm_spawn says what is wrong
        }
        return null;
    }

    private PvmException programMissing(String host, int code) {
        return new PvmException("pvm_spawn", code, "the worker's java (pvm-akka.worker.java) " + command.program()
                + " does not exist or is not executable on host " + (host == null ? "(PVM's choice)" : host));
    }

    private void safeKill(int tid) {
        try {
            pvm.kill(tid);
        } catch (PvmException ignored) {
            // already gone
        }
    }
}
