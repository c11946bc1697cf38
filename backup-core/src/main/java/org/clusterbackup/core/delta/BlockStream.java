package org.clusterbackup.core.delta;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte format of a block delta (what the {@code Data} frames after {@code BlocksBegin} inflate to): the
 * plain tar of a delta, except that the content of some files is described against their base version.
 * <pre>
 * stream  = record* END
 * record  = TAR length bytes[length]          tar bytes, as a plain delta has them
 *         | FILE path size op* OP_END sha256   the content of the entry whose header the tar so far ends with
 * op      = COPY offsetDelta length            base bytes [offset, offset + length); offset = end of the
 *                                              previous copy of this file (0 at first) + offsetDelta
 *         | LITERAL length bytes[length]
 * </pre>
 * Kinds are one byte (END and OP_END 0, TAR and COPY 1, FILE and LITERAL 2); {@code length}, {@code size} and
 * the path's byte length are unsigned LEB128 varints, {@code offsetDelta} a zigzag varint, {@code path} UTF-8
 * (the index's name of the entry), {@code sha256} the 32 bytes of the new content's SHA-256. A FILE's ops
 * cover exactly {@code size} bytes; the tar's padding after them comes in the next TAR record.
 */
public final class BlockStream {
    public static final int END = 0;
    public static final int TAR = 1;
    public static final int FILE = 2;
    public static final int OP_END = 0;
    public static final int COPY = 1;
    public static final int LITERAL = 2;

    private BlockStream() {}

    static void writeUnsigned(OutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static void writeSigned(OutputStream out, long v) throws IOException {
        writeUnsigned(out, (v << 1) ^ (v >> 63));
    }

    static long readUnsigned(InputStream in) throws IOException, MalformedDeltaException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the block delta ends inside a number");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new MalformedDeltaException("a number of more than 64 bits");
    }

    static long readSigned(InputStream in) throws IOException, MalformedDeltaException {
        long v = readUnsigned(in);
        return (v >>> 1) ^ -(v & 1);
    }
}
