package org.clusterbackup.core.delta;

import java.io.IOException;

/**
 * Computes the signature of a file as its bytes go by, in order, in pieces of any size: the weak sum and
 * strong hash of each block, handed to a {@link BlockSink} as soon as the block is complete. Memory is one
 * block. The bytes must number exactly the size given.
 */
public final class SignatureBuilder {
    private final long size;
    private final int blockSize;
    private final BlockSink sink;
    private final byte[] partial;
    private int filled;
    private long seen;

    public SignatureBuilder(long size, BlockSink sink) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be at least 0, was " + size);
        }
        this.size = size;
        this.blockSize = BlockSizes.forSize(size);
        this.sink = sink;
        this.partial = new byte[blockSize];
    }

    public long size() {
        return size;
    }

    public int blockSize() {
        return blockSize;
    }

    public void accept(byte[] bytes, int offset, int length) throws IOException {
        if (seen + length > size) {
            throw new IllegalStateException("the signature of " + size + " bytes got " + (seen + length));
        }
        seen += length;
        int end = offset + length;
        if (filled > 0) {
            int n = Math.min(length, blockSize - filled);
            System.arraycopy(bytes, offset, partial, filled, n);
            filled += n;
            offset += n;
            if (filled == blockSize) {
                emit(partial, 0, blockSize);
                filled = 0;
            }
        }
        while (end - offset >= blockSize) {
            emit(bytes, offset, blockSize);
            offset += blockSize;
        }
        if (offset < end) {
            System.arraycopy(bytes, offset, partial, 0, end - offset);
            filled = end - offset;
        }
    }

    /** The last, shorter block, if any; every byte must have been given. */
    public void finish() throws IOException {
        if (seen != size) {
            throw new IllegalStateException("the signature of " + size + " bytes got only " + seen);
        }
        if (filled > 0) {
            emit(partial, 0, filled);
            filled = 0;
        }
    }

    private void emit(byte[] bytes, int offset, int length) throws IOException {
        sink.block(WeakSum.of(bytes, offset, length), StrongHash.of(bytes, offset, length));
    }
}
