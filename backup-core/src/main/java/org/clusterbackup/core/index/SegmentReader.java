package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Inflates one segment of a stored archive alone, straight from its place in the {@code .tgz} file, and
 * checks it against its index record (length, CRC-32, block boundary) as it was checked on arrival.
 */
public final class SegmentReader {
    private final FileChannel archive;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    public SegmentReader(FileChannel archive) {
        this.archive = archive;
    }

    /**
     * @param sink gets the segment's tar bytes as they inflate, before the CRC-32 at the end is known
     * @throws ArchiveFormatException the stored bytes are not what the index says: the archive is damaged
     */
    public void inflate(IndexSegment segment, SegmentInflater.Sink sink) throws IOException, ArchiveFormatException {
        inflate(segment, segment.tarLength(), sink);
    }

    /**
     * Inflates only the segment's first {@code tarBytes} bytes of tar and reads no further than they need. Fewer
     * than the whole segment leave its length and CRC-32 unchecked: the caller checks what it took (a file's
     * content against the SHA-256 of the checked index), and a damaged rest of the segment is not its concern.
     *
     * @throws ArchiveFormatException the stored bytes are not valid deflate data up to there, or end before it
     */
    public void inflate(IndexSegment segment, long tarBytes, SegmentInflater.Sink sink)
            throws IOException, ArchiveFormatException {
        try (SegmentInflater inflater = new SegmentInflater(
                segment.number(), segment.tarLength(), segment.gzLength(), segment.crc32(), tarBytes, sink)) {
            long at = segment.gzOffset();
            long end = at + segment.gzLength();
            while (at < end && !inflater.satisfied()) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
                int n = archive.read(buffer, at);
                if (n < 0) {
                    throw new ArchiveFormatException("segment " + segment.number()
                            + " is cut off: the file ends at byte " + at + ", the segment at byte " + end);
                }
                inflater.feed(buffer.array(), 0, n);
                at += n;
            }
            if (!inflater.satisfied()) {
                inflater.finish(); // the whole segment, or less than wanted came out: the checks say what is wrong
            }
        }
    }
}
