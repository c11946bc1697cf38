package org.clusterbackup.core.index;

import org.clusterbackup.core.archive.SegmentedGzip;

/**
 * The fixed parts of the one gzip member every stored archive is, as the receiver checks them: the 10-byte
 * header before the first segment and the 10-byte tail after the last (the final empty deflate block, then
 * the CRC-32 and ISIZE of the whole tar stream, little-endian). The bytes are the writer's
 * ({@link SegmentedGzip}): one definition for both sides.
 */
public final class GzipLayout {
    public static final int HEADER_LENGTH = SegmentedGzip.HEADER_LENGTH;
    public static final int TAIL_LENGTH = SegmentedGzip.TAIL_LENGTH;
    /** A final, empty block with fixed codes: what ends the deflate stream after the last segment. */
    static final byte[] FINAL_BLOCK = {3, 0};

    private GzipLayout() {}

    public static byte[] header() {
        return SegmentedGzip.header();
    }

    static boolean isHeader(byte[] bytes) {
        return SegmentedGzip.isHeader(bytes, 0, bytes.length);
    }

    /** Whether the bytes start like any gzip member (magic and deflate): an archive, if not ours. */
    static boolean looksLikeGzip(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == 0x1f && bytes[1] == (byte) 0x8b && bytes[2] == 8;
    }

    public static byte[] tail(long crc32, long tarLength) {
        return SegmentedGzip.tail(crc32, tarLength);
    }
}
