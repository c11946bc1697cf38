package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One segment of an archive, compressed: raw deflate data ending in a sync flush, as
 * {@link SegmentDeflater} makes it.
 *
 * @param tarLength bytes of tar it inflates to
 * @param crc32 CRC-32 of those tar bytes
 * @param gzLength bytes of deflate data: the sum of the chunks' lengths
 * @param chunks the deflate data, in order: {@link SegmentDeflater#CHUNK} bytes each but the last, which is
 *        shorter or equal. Callers must not change them; they may hand them on (as {@code Data} frames).
 */
public record CompressedSegment(long tarLength, long crc32, long gzLength, List<byte[]> chunks) {
    public CompressedSegment {
        chunks = List.copyOf(chunks);
    }

    /** Writes the deflate data to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        for (byte[] chunk : chunks) {
            out.write(chunk);
        }
    }
}
