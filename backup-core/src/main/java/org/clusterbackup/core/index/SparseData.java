package org.clusterbackup.core.index;

import java.util.Arrays;

/**
 * The data of one file stored in the PAX 1.0 sparse format (GNU tar's {@code GNU.sparse.major=1},
 * {@code minor=0}), pushed in pieces of any size, handed on as the file's logical content: holes as zeros.
 * The data starts with the map in decimal text, one number per line: the count of data regions, then each
 * region's offset and length; NULs pad the map to a whole 512-byte block; then each region's bytes, in order.
 *
 * <p>Checked strictly: regions in increasing order, not overlapping, inside the file, and map plus regions
 * exactly the stored length. The map is bounded ({@link #MAX_MAP}); memory is the regions, two numbers each.
 */
final class SparseData {
    /** A map longer than this is refused; the agent stores a file whose map would be longer as a plain file. */
    static final int MAX_MAP = 1024 * 1024;

    private static final int BLOCK = TarHeader.BLOCK;
    private static final byte[] ZEROS = new byte[64 * 1024];

    /** Receives the logical content. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] b, int off, int len) throws ArchiveFormatException;
    }

    private final long realSize;
    private final long storedLength;
    private final long at;
    private final Sink sink;
    /** Map numbers read so far: [count, offset0, length0, offset1, length1, ...]. */
    private long[] numbers = new long[16];

    private int numberCount;
    private long current = -1;
    private int currentDigits;
    private long mapLength;
    private boolean mapDone;
    private long mapPaddingLeft;
    private int region;
    private long regionLeft;
    private long logical;
    private long consumed;

    /**
     * @param realSize the file's length ({@code GNU.sparse.realsize})
     * @param storedLength the bytes of map and data in the tar (the header's size)
     * @param at the entry's tar offset, for messages
     */
    SparseData(long realSize, long storedLength, long at, Sink sink) {
        this.realSize = realSize;
        this.storedLength = storedLength;
        this.at = at;
        this.sink = sink;
    }

    void accept(byte[] b, int off, int len) throws ArchiveFormatException {
        int end = off + len;
        consumed += len;
        while (off < end) {
            if (!mapDone) {
                off = map(b, off, end);
            } else if (mapPaddingLeft > 0) {
                int n = (int) Math.min(end - off, mapPaddingLeft);
                for (int i = off; i < off + n; i++) {
                    if (b[i] != 0) {
                        throw bad("its map is padded with something other than NUL");
                    }
                }
                mapPaddingLeft -= n;
                off += n;
                startRegions();
            } else {
                while (regionLeft == 0 && region < regions()) {
                    nextRegion();
                }
                if (regionLeft == 0) {
                    throw bad("more data follows than its map describes");
                }
                int n = (int) Math.min(end - off, regionLeft);
                sink.write(b, off, n);
                regionLeft -= n;
                logical += n;
                off += n;
            }
        }
    }

    /** The stored data has all passed: the rest of the file is a hole. */
    void finish() throws ArchiveFormatException {
        if (!mapDone || mapPaddingLeft > 0 || consumed != storedLength) {
            throw bad("its data ends inside its map");
        }
        while (regionLeft == 0 && region < regions()) {
            nextRegion();
        }
        if (regionLeft != 0 || region < regions()) {
            throw bad("its data ends before its map's regions");
        }
        zeros(realSize - logical);
    }

    private int map(byte[] b, int off, int end) throws ArchiveFormatException {
        for (; off < end; off++) {
            if (++mapLength > MAX_MAP) {
                throw bad("a sparse map longer than " + MAX_MAP + " bytes");
            }
            byte c = b[off];
            if (c >= '0' && c <= '9') {
                if (++currentDigits > 18) {
                    throw bad("a number in its sparse map too long");
                }
                current = (current < 0 ? 0 : current * 10) + (c - '0');
            } else if (c == '\n' && current >= 0) {
                number(current);
                current = -1;
                currentDigits = 0;
                if (numberCount > 0 && numberCount == 1 + 2 * numbers[0]) {
                    mapDone = true;
                    mapPaddingLeft = (BLOCK - mapLength % BLOCK) % BLOCK;
                    off++;
                    if (mapPaddingLeft == 0) {
                        startRegions();
                    }
                    return off;
                }
            } else {
                throw bad("a sparse map that is not decimal numbers on lines");
            }
        }
        return off;
    }

    private void number(long n) throws ArchiveFormatException {
        if (numberCount == 0 && n > MAX_MAP / 4) {
            throw bad("a sparse map of " + n + " regions");
        }
        if (numberCount == numbers.length) {
            numbers = Arrays.copyOf(numbers, numbers.length * 2);
        }
        numbers[numberCount++] = n;
    }

    /** Checks the whole map once it and its padding have passed. */
    private void startRegions() throws ArchiveFormatException {
        if (mapPaddingLeft > 0 || region > 0 || regionLeft > 0) {
            return;
        }
        long data = 0;
        long end = 0;
        for (int i = 0; i < regions(); i++) {
            long offset = numbers[1 + 2 * i];
            long length = numbers[2 + 2 * i];
            if (offset < end || length > realSize || offset > realSize - length) {
                throw bad("sparse regions out of order, overlapping or beyond the file's " + realSize + " bytes");
            }
            end = offset + length;
            data += length;
        }
        long mapBlocks = (mapLength + BLOCK - 1) / BLOCK * BLOCK;
        if (mapBlocks + data != storedLength) {
            throw bad("a sparse map of " + data + " bytes of data in " + storedLength + " stored bytes");
        }
    }

    private int regions() {
        return numberCount == 0 ? 0 : (int) numbers[0];
    }

    private void nextRegion() throws ArchiveFormatException {
        long offset = numbers[1 + 2 * region];
        zeros(offset - logical);
        regionLeft = numbers[2 + 2 * region];
        region++;
    }

    private void zeros(long n) throws ArchiveFormatException {
        logical += n;
        while (n > 0) {
            int k = (int) Math.min(n, ZEROS.length);
            sink.write(ZEROS, 0, k);
            n -= k;
        }
    }

    private ArchiveFormatException bad(String what) {
        return new ArchiveFormatException("the sparse file at tar offset " + at + " has " + what);
    }
}
