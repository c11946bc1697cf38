package org.clusterbackup.core.delta;

import java.io.IOException;

/**
 * The signature of one version of a file, read in order a chunk of blocks at a time, so that a big file's
 * signature is never whole in memory. Block {@code k} covers bytes {@code [k × blockSize, (k + 1) × blockSize)}
 * of that version; the last one may be shorter.
 */
public interface BlockSource {
    /** The size of the signed version. */
    long size();

    /** Its block size ({@link BlockSizes#forSize}). */
    int blockSize();

    /**
     * Reads the next blocks: at most {@code max} of them into {@code weak[offset…]} and {@code strong[offset…]}.
     *
     * @return how many were read; 0 once every block was read
     * @throws IOException the stored signature cannot be read or is damaged: the caller stops using it
     */
    int read(int[] weak, long[] strong, int offset, int max) throws IOException;

    /** Blocks in the signature. */
    default long blocks() {
        return (size() + blockSize() - 1) / blockSize();
    }
}
