package org.clusterbackup.core.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.delta.DeltaOps;

/**
 * The ops of a small file's block delta, held until it is known whether they are smaller than the file
 * (at most {@link FileCopier#BUFFERED_LIMIT} bytes of literals, as the file is at most that).
 */
final class BufferedOps implements DeltaOps {
    /** Bytes an op costs besides its literal bytes, about: a kind byte and a varint or two. */
    private static final int OP_COST = 6;

    private record Op(long baseOffset, long length, int literalAt) {}

    private final List<Op> ops = new ArrayList<>();
    private final ByteArrayOutputStream literals = new ByteArrayOutputStream();

    @Override
    public void copy(long baseOffset, long length) {
        ops.add(new Op(baseOffset, length, -1));
    }

    @Override
    public void literal(byte[] bytes, int offset, int length) {
        ops.add(new Op(-1, length, literals.size()));
        literals.write(bytes, offset, length);
    }

    /** About what the ops cost in the stream, before compression. */
    long encodedLength() {
        return literals.size() + (long) ops.size() * OP_COST;
    }

    void replay(DeltaOps out) throws IOException {
        byte[] bytes = literals.toByteArray();
        for (Op op : ops) {
            if (op.literalAt < 0) {
                out.copy(op.baseOffset, op.length);
            } else {
                out.literal(bytes, op.literalAt, (int) op.length);
            }
        }
    }
}
