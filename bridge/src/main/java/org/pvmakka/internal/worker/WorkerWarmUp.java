package org.pvmakka.internal.worker;

import java.util.List;
import java.util.Map;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.codec.WireSettings;
import org.pvmakka.internal.wire.MessageBatch;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.task.HostId;
import org.pvmakka.task.Received;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;

/**
 * Loads what a worker JVM loads before it runs its task function (JNA and libpvm, the wire codec
 * with a spawn request, results and a batch), without enrolling in PVM; {@link WorkerStartup} runs
 * it with {@code -XX:ArchiveClassesAtExit} to create the workers' class-data sharing archive.
 */
public final class WorkerWarmUp {
    private WorkerWarmUp() {
    }

    public static void main(String[] args) throws Exception {
        WireCodec codec = new WireCodec(WireSettings.fromSystemProperties());
        SpawnRequest req = new SpawnRequest("x.Y", List.of(1, 2L, 3.0, "s", List.of(1), Map.of(1, 2), new byte[1]), true);
        codec.decode(codec.encode(req), SpawnRequest.class);
        codec.decode(codec.encode(WireResult.success(new TaskId(0x40001), List.of(1))));
        codec.decode(codec.encode(WireResult.failure(new TaskId(0x40001), RemoteError.of(new IllegalStateException("x")))));
        byte[] batch = MessageBatch.pack(List.of(codec.encode("a"), codec.encode(1)));
        MessageBatch.forEach(batch, (d, off, len) -> codec.decode(d, off, len));
        new Received(new TaskId(1), "x").toString();
        HostId.of(0x40000).toString();
        // JNA and libpvm (no PVM call that enrolls)
        try {
            JnaPvm.open(JnaPvmOptions.defaults().withAllowRoot(true));
        } catch (RuntimeException e) {
            // no libpvm here: the rest is still worth archiving
        }
        for (String c : List.of("org.pvmakka.internal.bridge.jna.FdPoller", "org.pvmakka.internal.bridge.jna.FdInboundWatcher",
                "com.sun.jna.Memory", WorkerRuntime.class.getName(), WorkerMain.class.getName())) {
            Class.forName(c);
        }
    }
}
