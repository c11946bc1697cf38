package org.clusterbackup.core.archive;

import java.util.Arrays;

/**
 * The fixed bytes of a segmented archive (see {@code docs/STORAGE.md}, "Archive format"): one gzip member
 * made of a {@linkplain #HEADER_LENGTH 10-byte} header, the segments (raw deflate data, each ended by a sync
 * flush), and a {@linkplain #TAIL_LENGTH 10-byte} tail: a final empty deflate block, then CRC-32 and ISIZE of
 * the whole tar stream. Writers put these bytes; readers check them.
 */
public final class SegmentedGzip {
    public static final int HEADER_LENGTH = 10;
    public static final int TAIL_LENGTH = 10;

    /**
     * The gzip header of every segmented archive: magic {@code 1f 8b}, method 8 (deflate), no flags, mtime 0,
     * extra flags 0 whatever the level, OS 255 ("unknown"). Private because arrays are mutable: see
     * {@link #header()} and {@link #isHeader}.
     */
    private static final byte[] HEADER = {(byte) 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    /**
     * The last deflate block: final, fixed Huffman codes, nothing but the end-of-block code. It follows the
     * sync flush of the last segment, so it starts on a byte boundary and takes exactly these two bytes.
     */
    private static final byte[] FINAL_BLOCK = {3, 0};

    private SegmentedGzip() {}

    /** A fresh copy of the 10 header bytes: {@code 1f 8b 08 00 00 00 00 00 00 ff}. */
    public static byte[] header() {
        return HEADER.clone();
    }

    /** True if {@code bytes[offset..offset+10)} are exactly the header of a segmented archive. */
    public static boolean isHeader(byte[] bytes, int offset, int length) {
        return length == HEADER_LENGTH && Arrays.equals(bytes, offset, offset + length, HEADER, 0, HEADER_LENGTH);
    }

    /**
     * The 10 bytes that end the archive: {@code 03 00}, then the CRC-32 of the whole tar stream and its length
     * modulo 2<sup>32</sup> (ISIZE), both little-endian.
     *
     * @param crc32 CRC-32 of the tar stream (see {@link Crc32Combine})
     * @param tarLength length of the tar stream in bytes
     */
    public static byte[] tail(long crc32, long tarLength) {
        byte[] tail = new byte[TAIL_LENGTH];
        tail[0] = FINAL_BLOCK[0];
        tail[1] = FINAL_BLOCK[1];
        putIntLE(tail, 2, crc32);
        putIntLE(tail, 6, tarLength); // ISIZE: the low 32 bits
        return tail;
    }

    private static void putIntLE(byte[] b, int at, long value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
