package org.clusterbackup.core.index;

/**
 * One segment of a stored archive, as its index records it.
 *
 * @param number 0-based position in the archive
 * @param tarOffset where its bytes start in the tar stream
 * @param tarLength bytes of tar it inflates to
 * @param gzOffset where its deflate data starts in the {@code .tgz} file (after the 10-byte header)
 * @param gzLength bytes of deflate data
 * @param crc32 CRC-32 of its tar bytes
 */
public record IndexSegment(long number, long tarOffset, long tarLength, long gzOffset, long gzLength, long crc32) {
    public IndexSegment {
        if (number < 0
                || tarOffset < 0
                || tarLength < 1
                || gzOffset < GzipLayout.HEADER_LENGTH
                || gzLength < 1
                || crc32 < 0
                || crc32 > 0xffffffffL) {
            throw new IllegalArgumentException("not a valid segment: number " + number + ", tar " + tarOffset + "+"
                    + tarLength + ", gz " + gzOffset + "+" + gzLength + ", crc " + crc32);
        }
    }

    public long tarEnd() {
        return tarOffset + tarLength;
    }

    /** Whether any of the tar bytes {@code [from, to)} lie in this segment (none do when the range is empty). */
    public boolean overlaps(long from, long to) {
        return from < to && from < tarEnd() && to > tarOffset;
    }
}
