package org.pvmakka.tests.hardening;

import com.esotericsoftware.kryo.io.Output;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.pvmakka.internal.bridge.jna.JnaPvm;
import org.pvmakka.internal.bridge.jna.JnaPvmOptions;
import org.pvmakka.internal.codec.WireCodec;
import org.pvmakka.internal.wire.MessageBatch;
import org.pvmakka.internal.wire.SpawnRequest;
import org.pvmakka.internal.wire.WireResult;
import org.pvmakka.internal.wire.WireTags;
import org.pvmakka.internal.worker.WorkerCommand;
import org.pvmakka.task.RemoteError;
import org.pvmakka.task.TaskId;
import org.pvmakka.tests.RealPvm;

/**
 * A rogue PVM task (a raw {@code Pvm} user in its own process): enrolls in the VM of
 * {@code PVM_TMP} and sends forged and malformed messages on every tag the runtime uses to the
 * tid given as {@code args[0]}; {@code args[1]} is a tid the runtime did spawn (to forge its
 * result); with {@code args[2]} = {@code lengths} it sends only the {@link #forgedLengths forged
 * lengths}, which no receiver can decode. Prints how many messages it sent.
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
        out.addAll(forgedLengths(victimTid));
        return out;
    }

    private static final String MARK = "\u00e9\u00e9\u00e9";

    /**
     * Messages that claim lengths their bytes cannot hold (issue 12): arrays, strings, collections
     * and maps of near 2^31 elements, records holding such a string, claims nested so that they
     * would multiply, lists of nulls that take no byte, 20 000 nested lists, a class given by name,
     * and a batch of them. A decoder that allocated what they claim would die of OutOfMemoryError.
     */
    static List<byte[]> forgedLengths(int victimTid) {
        WireCodec codec = WireCodec.defaults();
        Map<Class<?>, Integer> ids = new HashMap<>();
        codec.registrations().forEach((id, c) -> ids.put(c, id));
        List<byte[]> out = new ArrayList<>();
        for (Class<?> c : List.of(byte[].class, int[].class, long[].class, double[].class, char[].class,
                boolean[].class, String[].class, Object[].class, BigInteger.class, HashMap.class, Map.of(1, 1).getClass())) {
            out.add(forged(ids.get(c), o -> o.writeVarInt(Integer.MAX_VALUE, true))); // 7 bytes
        }
        for (Class<?> c : List.of(ArrayList.class, HashSet.class, List.of(1).getClass(), Set.of(1, 2, 3).getClass(),
                Arrays.asList(1).getClass())) {
            out.add(forged(ids.get(c), o -> o.writeVarIntFlag(false, Integer.MAX_VALUE, true)));
        }
        out.add(hugeString(codec.encode(MARK)));
        out.add(hugeString(codec.encode(WireResult.failure(new TaskId(victimTid), RemoteError.of(MARK, "m")))));
        out.add(hugeString(codec.encode(new SpawnRequest(MARK, List.of(1), true))));
        int list = ids.get(ArrayList.class);
        Output nested = new Output(128 << 10, -1); // 50 lists, each claiming the whole message
        for (int i = 0; i < 50; i++) {
            nested.writeVarInt(list + 2, true);
            nested.writeVarIntFlag(false, (64 << 10) + 1, true);
        }
        nested.writeBytes(new byte[64 << 10]);
        out.add(nested.toBytes());
        Output nulls = new Output(8192, -1); // 1000 lists of 60 000 nulls, 6 bytes each
        nulls.writeVarInt(list + 2, true);
        nulls.writeVarIntFlag(false, 1001, true);
        for (int i = 0; i < 1000; i++) {
            nulls.writeVarInt(list + 2, true);
            nulls.writeVarIntFlag(true, 60_001, true);
            nulls.writeVarInt(0, true);
        }
        out.add(nulls.toBytes());
        Output deep = new Output(64 << 10, -1); // 20 000 nested one-element lists
        for (int i = 0; i < 20_000; i++) {
            deep.writeVarInt(list + 2, true);
            deep.writeVarIntFlag(false, 2, true);
        }
        out.add(deep.toBytes());
        Output byName = new Output(64, -1);
        byName.writeVarInt(1, true);
        byName.writeVarInt(1, true);
        byName.writeString("java.lang.Thread");
        out.add(byName.toBytes());
        out.add(MessageBatch.pack(List.of(out.get(0), out.get(11)))); // a well-formed batch of forged messages
        return out;
    }

    private static byte[] forged(int id, Consumer<Output> rest) {
        Output o = new Output(64, -1);
        o.writeVarInt(id + 2, true);
        rest.accept(o);
        return o.toBytes();
    }

    /** {@code encoded} cut at the string {@link #MARK}, which now claims 2^31 - 2 chars. */
    private static byte[] hugeString(byte[] encoded) {
        byte[] mark = {(byte) 0x84, (byte) 0xc3, (byte) 0xa9, (byte) 0xc3, (byte) 0xa9, (byte) 0xc3, (byte) 0xa9};
        for (int i = 0; i + mark.length <= encoded.length; i++) {
            if (Arrays.equals(encoded, i, i + mark.length, mark, 0, mark.length)) {
                Output o = new Output(64, -1);
                o.writeBytes(encoded, 0, i);
                o.writeVarIntFlag(true, Integer.MAX_VALUE, true);
                return o.toBytes();
            }
        }
        throw new IllegalStateException("no mark in the encoding");
    }

    /** What a run of the rogue did: its own tid, and how many messages it sent. */
    record Run(int tid, int sent) {
    }

    /** Runs the rogue as its own process in the test's VM against {@code target}. */
    static Run run(int target, int victim, String mode) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(WorkerCommand.currentJava(), "-cp",
                String.join(File.pathSeparator, WorkerCommand.currentClasspath()), RogueTask.class.getName(),
                String.valueOf(target), String.valueOf(victim), mode);
        pb.environment().put("PVM_TMP", RealPvm.daemon().pvmTmp().toString());
        pb.environment().put("PVM_ALLOW_ROOT", "1");
        pb.redirectErrorStream(true);
        Process rogue = pb.start();
        String out = new String(rogue.getInputStream().readAllBytes());
        if (rogue.waitFor() != 0 || !out.matches("(?s).*rogue \\d+ sent \\d+.*")) {
            throw new AssertionError("the rogue task failed: " + out);
        }
        return new Run(Integer.parseInt(out.replaceAll("(?s).*rogue (\\d+) sent.*", "$1")),
                Integer.parseInt(out.replaceAll("(?s).*rogue \\d+ sent (\\d+).*", "$1")));
    }

    public static void main(String[] args) {
        int target = Integer.parseInt(args[0]);
        int victim = Integer.parseInt(args[1]);
        JnaPvm pvm = JnaPvm.open(JnaPvmOptions.defaults().withAllowRoot(true));
        int me = pvm.mytid();
        boolean lengthsOnly = args.length > 2 && args[2].equals("lengths");
        List<byte[]> payloads = lengthsOnly ? forgedLengths(victim) : payloads(victim);
        int sent = 0;
        for (int tag = WireTags.SPAWN; tag <= WireTags.OUTPUT; tag++) {
            for (byte[] p : payloads) {
                pvm.send(target, tag, p);
                sent++;
            }
        }
        if (!lengthsOnly) {
            pvm.send(target, 12345, new byte[] {1}); // a tag the runtime does not use
            sent++;
        }
        System.out.println("rogue " + me + " sent " + sent);
        pvm.exit();
    }
}
