package org.pvmakka.tests.hardening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;

/**
 * A rogue PVM task (a raw {@code Pvm} user in its own process): enrolls in the VM of
 * {@code PVM_TMP} and sends forged and malformed messages on every tag the runtime uses to the
 * tid given as {@code args[0]}; {@code args[1]} is a tid the runtime did spawn (to forge its
 * result). Prints how many messages it sent.
 */
public final class RogueTask {
    private RogueTask() {
    }

    /** The payloads, by kind; each is sent on every runtime tag. */
    static List<byte[]> payloads(int victimTid) {
        WireCodec codec = WireCodec.defaults();
        byte[] forgedResult = codec.encode(WireResult.success(new TaskId(victimTid), 666));
        byte[] ownResult = codec.encode(WireResult.failure(new TaskId(0x7fff1), RemoteError.of("X", "forged")));
        List<byte[]> out = new ArrayList<>();
        out.add(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3});   // garbage
        out.add(Arrays.copyOf(forgedResult, forgedResult.length / 2));                        // truncated
        out.add(new byte[] {(byte) 0xd1, 0x0f});                                              // unregistered class ID 2001
        out.add(forgedResult);    // a result that claims to come from a task of the runtime
        out.add(ownResult);       // a result from a task the runtime did not spawn
        out.add(new byte[0]);     // empty
        return out;
    }

    public static void main(String[] args) {
        int target = Integer.parseInt(args[0]);
        int victim = Integer.parseInt(args[1]);
        JnaPvm pvm = JnaPvm.open(JnaPvmOptions.defaults().withAllowRoot(true));
        pvm.mytid();
        int sent = 0;
        for (int tag = WireTags.SPAWN; tag <= WireTags.OUTPUT; tag++) {
            for (byte[] p : payloads(victim)) {
                pvm.send(target, tag, p);
                sent++;
            }
        }
        pvm.send(target, 12345, new byte[] {1}); // a tag the runtime does not use
        sent++;
        System.out.println("sent " + sent);
        pvm.exit();
    }
}
