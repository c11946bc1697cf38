package org.clusterbackup.core.protocol;

/**
 * Data plane, agent to server: one segment of a segmented archive follows, as {@link Data} frames that carry
 * exactly {@code gzLength} bytes (a {@code Data} frame never straddles two segments).
 *
 * <p>An archive on the wire is {@link ArchiveBegin}, one {@code Data} frame with the 10-byte gzip header,
 * then for each segment a {@code Segment} and its {@code Data}, then {@code Data} with the 10-byte tail (the
 * final empty deflate block {@code 03 00}, the CRC-32 and the ISIZE of the whole tar stream, little-endian),
 * then {@link ArchiveEnd}, whose size and SHA-256 cover every {@code Data} byte: the stored {@code .tgz}.
 * A segment is raw deflate data from a fresh {@code Deflater} ended by {@code SYNC_FLUSH}; it inflates alone
 * to {@code tarLength} bytes of the tar stream with CRC-32 {@code crc32}.
 *
 * @param tarLength bytes of tar this segment inflates to, 1 to {@link #MAX_TAR_LENGTH}
 * @param gzLength bytes of deflate data that follow, 1 to {@link #MAX_GZ_LENGTH}
 * @param crc32 CRC-32 of those tar bytes, 0 to 2<sup>32</sup>-1
 */
public record Segment(long tarLength, long gzLength, long crc32) implements Message {
    /** No segment holds more tar than this: the receiver inflates one segment at a time within this bound. */
    public static final long MAX_TAR_LENGTH = 4L * 1024 * 1024;
    /** Deflate never grows data by more than a few bytes per 16 KiB block; this bounds any honest segment. */
    public static final long MAX_GZ_LENGTH = MAX_TAR_LENGTH + 64 * 1024;
}
