package org.pvmakka.internal.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * The input of one decode, which refuses any length a message claims that its bytes cannot hold,
 * before anything of that length is allocated. Two limits hold:
 * <ul>
 *   <li>per claim: {@code count} elements of at least {@code minBytes} each must fit in the bytes
 *       left (strings: one byte per char; arrays: 1 per varint, 2, 4 or 8 per fixed-size element);
 *   <li>per message: the elements claimed by every string, array, collection and map of the
 *       message together are at most its length plus {@link #ZERO_BYTE_ELEMENTS}. Every element
 *       but a null in an all-null collection (or an element that encodes in no byte) has a byte of
 *       its own, so honest messages fit; nested claims of forged ones cannot multiply.
 * </ul>
 * So a decode allocates at most a small multiple of the message's size, whatever it claims.
 * Kryo's serializers read strings and primitive arrays through this input; {@link
 * BoundedSerializers} claims for the containers that allocate themselves.
 */
final class BoundedInput extends Input {
    /** Elements a message may claim beyond its length: nulls of all-null collections, empty records. */
    static final int ZERO_BYTE_ELEMENTS = 64 * 1024;

    private long budget;

    BoundedInput(byte[] data, int offset, int length) {
        super(data, offset, length);
        this.budget = (long) length + ZERO_BYTE_ELEMENTS;
    }

    /**
     * Checks a claim of {@code count} elements of at least {@code minBytes} each, read from
     * {@code input}; a plain {@link Input} gets the per-claim check only.
     *
     * @throws KryoException naming {@code what} when the message cannot hold them
     */
    static void claim(Input input, long count, int minBytes, String what) {
        if (count < 0) {
            throw new KryoException(what + " claims a negative length " + count);
        }
        int left = input.limit() - input.position();
        if (count * minBytes > left) {
            throw new KryoException(what + " claims " + count + " elements" + (minBytes > 1 ? " of " + minBytes
                    + " bytes" : "") + ", but only " + left + " bytes of the message are left");
        }
        if (input instanceof BoundedInput b) {
            b.budget -= count;
            if (b.budget < 0) {
                throw new KryoException(what + " claims " + count + " elements, more than the rest of the message can"
                        + " hold (its strings, arrays and collections may claim its length + " + ZERO_BYTE_ELEMENTS
                        + " elements in all)");
            }
        }
    }

    /** The char count of the length-prefixed (non-ASCII) string that starts here, or -1. */
    private int peekUtf8Length() {
        if (position == limit || (buffer[position] & 0x80) == 0) {
            return -1; // ASCII: read up to its last byte, cannot claim more than is there
        }
        int p = position;
        int n = readVarIntFlag(true);
        position = p;
        return n - 1; // 0 is null, 1 is ""
    }

    @Override
    public String readString() {
        int n = peekUtf8Length();
        if (n > 0) {
            claim(this, n, 1, "a string");
        }
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        int n = peekUtf8Length();
        if (n > 0) {
            claim(this, n, 1, "a string");
        }
        return super.readStringBuilder();
    }

    @Override
    public byte[] readBytes(int length) {
        claim(this, length, 1, "a byte array");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        claim(this, length, 4, "an int array");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        if (!getVariableLengthEncoding()) {
            return readInts(length);
        }
        claim(this, length, 1, "an int array");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        claim(this, length, 8, "a long array");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        if (!getVariableLengthEncoding()) {
            return readLongs(length);
        }
        claim(this, length, 1, "a long array");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        claim(this, length, 4, "a float array");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        claim(this, length, 8, "a double array");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        claim(this, length, 2, "a short array");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        claim(this, length, 2, "a char array");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        claim(this, length, 1, "a boolean array");
        return super.readBooleans(length);
    }
}
