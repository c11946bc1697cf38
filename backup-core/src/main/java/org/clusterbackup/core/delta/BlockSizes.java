package org.clusterbackup.core.delta;

/**
 * The block size of a file's signature, from its size. Small blocks for small files, because a change costs
 * about one block of literal bytes (the block it falls in): 512 bytes keep one inserted line in a source
 * file under a few hundred bytes on the wire. Bigger blocks for big files keep the signature count, and with
 * it the agent's state, memory and CPU, in check, while staying at most a page (4 KiB), so a database page
 * rewritten in place costs about that page. Every signature costs 12 bytes per block, so the state is at
 * most 12/512 ≈ 2.3% of the files' bytes (far less for big files), within the 3% budget.
 */
public final class BlockSizes {
    /** The smallest block, for files under {@link #SMALL_FILE}. */
    public static final int MIN_BLOCK = 512;
    /** The largest block: a page. */
    public static final int MAX_BLOCK = 4096;
    /** Files from here on get 1 KiB blocks (1 MiB). */
    static final long SMALL_FILE = 1L << 20;
    /** ... from here 2 KiB (16 MiB) ... */
    static final long MEDIUM_FILE = 16L << 20;
    /** ... and from here 4 KiB (128 MiB). */
    static final long LARGE_FILE = 128L << 20;
    /** Bytes a signature keeps per block: the weak sum and the strong hash. */
    public static final int BYTES_PER_BLOCK = 4 + 8;

    private BlockSizes() {}

    /** The block size for a file of {@code size} bytes. */
    public static int forSize(long size) {
        if (size < SMALL_FILE) {
            return MIN_BLOCK;
        }
        if (size < MEDIUM_FILE) {
            return 1024;
        }
        return size < LARGE_FILE ? 2048 : MAX_BLOCK;
    }

    /** True if a file of {@code size} bytes gets a signature: at least one whole block. */
    public static boolean signed(long size) {
        return size >= MIN_BLOCK;
    }

    /** Blocks of a file of {@code size} bytes, its last (shorter) block included. */
    public static long blockCount(long size) {
        int b = forSize(size);
        return (size + b - 1) / b;
    }
}
