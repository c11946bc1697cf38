package org.clusterbackup.core.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where a file's data is, found from its content: a hole is a run of at least {@link #MIN_HOLE} bytes of
 * zeros made of whole {@link #BLOCK}-byte blocks (counted from the file's start), or such a run that ends the
 * file. The JDK cannot ask the file system for its holes ({@code SEEK_DATA}/{@code SEEK_HOLE}), and the
 * content is what the archive must reproduce anyway: so the same content always gives the same map, whether
 * its zeros were written or never allocated, and a restore recreates them as holes.
 *
 * <p>In the archive (PAX 1.0 sparse format, {@code GNU.sparse.major=1}, {@code minor=0}) the data starts with
 * the map as decimal lines: the number of data regions, then each region's offset and length; NULs pad it to
 * a whole 512-byte block; then the regions' bytes. A file ending in a hole gets a last region of length 0 at
 * its end, as GNU tar writes it.
 *
 * @param size the file's length
 * @param regions data regions, {offset, length} each, in order
 */
record SparseMap(long size, List<long[]> regions) {
    /** Holes are made of whole blocks of this size, counted from the start of the file. */
    static final int BLOCK = 4096;
    /** Shorter runs of zeros are kept as data: a map entry costs more than it saves. */
    static final long MIN_HOLE = 64 * 1024;

    private static final byte[] ZERO_BLOCK = new byte[BLOCK];
    /** A map longer than this (the server's bound, too) is not used: the file is archived whole. */
    static final int MAX_MAP = 1024 * 1024;

    SparseMap {
        regions = List.copyOf(regions);
    }

    /** True if the file has a hole: stored sparse, it is smaller. */
    boolean hasHoles() {
        return data() < size;
    }

    /** Bytes of data regions. */
    long data() {
        long n = 0;
        for (long[] r : regions) {
            n += r[1];
        }
        return n;
    }

    /** The map as the archive stores it, padded to a whole tar block. */
    byte[] encode() {
        StringBuilder b = new StringBuilder();
        b.append(regions.size()).append('\n');
        for (long[] r : regions) {
            b.append(r[0]).append('\n').append(r[1]).append('\n');
        }
        byte[] text = b.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] padded = new byte[(int) SegmentRule.padded(text.length)];
        System.arraycopy(text, 0, padded, 0, text.length);
        return padded;
    }

    /** The bytes that follow the header: map, then data. */
    long storedLength() {
        return encode().length + data();
    }

    /** Builds the map from the file's content, pushed in order in pieces of any size. */
    static final class Builder {
        private final List<long[]> holes = new ArrayList<>();
        private long position;
        private boolean blockZero = true;
        /** Start of the run of zero blocks that reaches the current block, or -1. */
        private long runStart = -1;

        void accept(byte[] b, int off, int len) {
            int end = off + len;
            while (off < end) {
                int n = (int) Math.min(end - off, BLOCK - position % BLOCK);
                if (blockZero && Arrays.mismatch(b, off, off + n, ZERO_BLOCK, 0, n) >= 0) {
                    blockZero = false;
                }
                position += n;
                off += n;
                if (position % BLOCK == 0) {
                    endBlock(position - BLOCK);
                }
            }
        }

        /** The map of the {@code position} bytes pushed; the last partial block is a block too. */
        SparseMap finish() {
            long size = position;
            if (size % BLOCK != 0) {
                endBlock(size - size % BLOCK);
            }
            if (runStart >= 0 && size - runStart >= MIN_HOLE) {
                holes.add(new long[] {runStart, size});
            }
            List<long[]> regions = new ArrayList<>();
            long at = 0;
            for (long[] h : holes) {
                if (h[0] > at) {
                    regions.add(new long[] {at, h[0] - at});
                }
                at = h[1];
            }
            if (at < size || regions.isEmpty()) {
                regions.add(new long[] {at, size - at});
            } else if (at == size && !holes.isEmpty()) {
                regions.add(new long[] {size, 0}); // ends in a hole: GNU tar's last, empty region
            }
            return new SparseMap(size, regions);
        }

        private void endBlock(long blockStart) {
            if (blockZero) {
                if (runStart < 0) {
                    runStart = blockStart;
                }
            } else {
                if (runStart >= 0 && blockStart - runStart >= MIN_HOLE) {
                    holes.add(new long[] {runStart, blockStart});
                }
                runStart = -1;
            }
            blockZero = true;
        }
    }
}
