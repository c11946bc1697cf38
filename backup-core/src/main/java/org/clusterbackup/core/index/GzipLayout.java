package org.clusterbackup.core.index;

import java.util.Arrays;

/**
 * The fixed parts of the one gzip member every stored archive is: the 10-byte header before the first
 * segment and the 10-byte tail after the last (the final empty deflate block, then the CRC-32 and ISIZE of
 * the whole tar stream, little-endian).
 */
public final class GzipLayout {
    /** Magic, deflate, no flags, mtime 0, no extra flags, OS unknown: what {@code java.util.zip} writes. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    public static final int HEADER_LENGTH = 10;
    public static final int TAIL_LENGTH = 10;
    /** A final, empty block with fixed codes: what ends the deflate stream after the last segment. */
    static final byte[] FINAL_BLOCK = {3, 0};

    private GzipLayout() {
    }

    public static byte[] header() {
        return HEADER.clone();
    }

    static boolean isHeader(byte[] bytes) {
        return Arrays.equals(bytes, HEADER);
    }

    /** Whether the bytes start like any gzip member (magic and deflate): an archive, if not ours. */
    static boolean looksLikeGzip(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == 0x1f && bytes[1] == (byte) 0x8b && bytes[2] == 8;
    }

    public static byte[] tail(long crc32, long tarLength) {
        byte[] tail = new byte[TAIL_LENGTH];
        tail[0] = FINAL_BLOCK[0];
        tail[1] = FINAL_BLOCK[1];
        putLittleEndian(tail, 2, crc32);
        putLittleEndian(tail, 6, tarLength & 0xffffffffL);
        return tail;
    }

    private static void putLittleEndian(byte[] b, int at, long value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
