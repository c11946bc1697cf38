package org.clusterbackup.core.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tar stream of a stored archive, read through its index: any byte range of the tar, inflating only the
 * segments that hold it (each alone, checked against its index record as on arrival), and any whole segment
 * as its stored deflate bytes. The last segment inflated is kept (at most {@link #MAX_SEGMENT} bytes), since
 * reads come in tar order and usually several from the same segment.
 *
 * <p>The whole file is hashed in order as segments are copied ({@link #copyCompressed} hashes the very bytes
 * it copies, in the same read, when it is next in line), the rest read for the hash alone, and
 * {@link #checkWhole} compares it with the SHA-256 recorded when it was stored: a segment copied compressed
 * is never inflated, so this is what keeps a base damaged on disk out of a new archive. Segments inflated to
 * be deflated anew are checked against their CRC as they inflate and are read once more for the hash: the
 * synthesis reads ahead of what it copies, and a hash read ahead would leave the copy itself unchecked.
 */
final class BaseTar {
    /** The protocol's bound on a segment's tar: what one kept segment can cost. */
    static final long MAX_SEGMENT = org.clusterbackup.core.protocol.Segment.MAX_TAR_LENGTH;

    private final FileChannel archive;
    private final SegmentReader reader;
    private final NavigableMap<Long, IndexSegment> byTarOffset = new TreeMap<>();
    private final ByteBuffer copyBuffer = ByteBuffer.allocate(64 * 1024);
    private final MessageDigest wholeSha256;
    private long hashedTo;
    private IndexSegment cached;
    private byte[] cachedBytes;
    /** Where inflated segments are kept ({@link #toKeep} not null) or read from; null for neither. */
    private InflatedSegments kept;

    private Set<Long> toKeep;
    /** Inflates the segments reads will ask for next on other threads; null: each inflated when asked for. */
    private SegmentsAhead ahead;

    /**
     * Reading ranges only (each segment checked against its record) costs nothing for the hash: the file is
     * hashed only as far as {@link #copyCompressed} and {@link #checkWhole} ask.
     */
    BaseTar(FileChannel archive, Iterable<IndexSegment> segments) {
        this.archive = archive;
        this.reader = new SegmentReader(archive);
        try {
            this.wholeSha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (IndexSegment s : segments) {
            byTarOffset.put(s.tarOffset(), s);
        }
    }

    /** The segment that starts at {@code tarOffset} and holds exactly {@code length} bytes, or null. */
    IndexSegment segmentExactly(long tarOffset, long length) {
        IndexSegment s = byTarOffset.get(tarOffset);
        return s != null && s.tarLength() == length ? s : null;
    }

    /** Copies the stored deflate bytes of {@code segment} to {@code out}, as they are: nothing is inflated. */
    void copyCompressed(IndexSegment segment, OutputStream out) throws IOException, ArchiveFormatException {
        hashUpTo(segment.gzOffset());
        long at = segment.gzOffset();
        long end = at + segment.gzLength();
        boolean hash = at == hashedTo;
        while (at < end) {
            int n = readAt(at, end);
            out.write(copyBuffer.array(), 0, n);
            if (hash) {
                wholeSha256.update(copyBuffer.array(), 0, n);
            }
            at += n;
        }
        if (hash) {
            hashedTo = end;
        }
    }

    /**
     * Hashes what remains of the file and compares the whole with {@code expectedSha256}.
     *
     * @throws ArchiveFormatException the base archive is not the file that was stored
     */
    void checkWhole(String expectedSha256) throws IOException, ArchiveFormatException {
        long size = archive.size();
        hashUpTo(size);
        String actual = HexFormat.of().formatHex(wholeSha256.digest());
        if (!actual.equals(expectedSha256)) {
            throw new ArchiveFormatException(
                    "the base archive is damaged: its sha256 is " + actual + ", " + expectedSha256 + " was recorded");
        }
    }

    private void hashUpTo(long end) throws IOException, ArchiveFormatException {
        while (hashedTo < end) {
            int n = readAt(hashedTo, end);
            wholeSha256.update(copyBuffer.array(), 0, n);
            hashedTo += n;
        }
    }

    private int readAt(long at, long end) throws IOException, ArchiveFormatException {
        copyBuffer.clear().limit((int) Math.min(copyBuffer.capacity(), end - at));
        int n = archive.read(copyBuffer, at);
        if (n < 0) {
            throw new ArchiveFormatException("the base archive is cut off at byte " + at);
        }
        return n;
    }

    /** Reads the tar bytes {@code [from, from + length)} into {@code dst}. */
    void read(long from, byte[] dst, int offset, int length) throws IOException, ArchiveFormatException {
        while (length > 0) {
            IndexSegment s = segmentHolding(from);
            byte[] bytes = inflated(s);
            int at = (int) (from - s.tarOffset());
            int n = Math.min(length, bytes.length - at);
            System.arraycopy(bytes, at, dst, offset, n);
            from += n;
            offset += n;
            length -= n;
        }
    }

    IndexSegment segmentHolding(long tarOffset) throws ArchiveFormatException {
        Map.Entry<Long, IndexSegment> e = byTarOffset.floorEntry(tarOffset);
        if (e == null || e.getValue().tarEnd() <= tarOffset) {
            throw new ArchiveFormatException("the base index has no segment holding tar offset " + tarOffset);
        }
        return e.getValue();
    }

    /**
     * Segments in {@code numbers} are kept in {@code store} as they are inflated, for a later reader (see
     * {@link InflatedSegments}).
     */
    void keepInflated(InflatedSegments store, Set<Long> numbers) {
        this.kept = store;
        this.toKeep = Set.copyOf(numbers);
    }

    /**
     * The segments {@link #read} inflates come from {@code segmentsAhead} as far as it predicted them (see
     * {@link SegmentsAhead}); null: each is inflated here when asked for.
     */
    void readAhead(SegmentsAhead segmentsAhead) {
        this.ahead = segmentsAhead;
    }

    /** The archive's segments inflated and checked by their own reader, on any thread. */
    SegmentsAhead.Inflate concurrentInflate() {
        return s -> inflate(new SegmentReader(archive), s);
    }

    /** Segments kept in {@code store} by an earlier reader are read from there instead of inflated. */
    void readKept(InflatedSegments store) {
        this.kept = store;
        this.toKeep = null;
    }

    /** The number of the segment that holds tar byte {@code tarOffset}. */
    long segmentNumber(long tarOffset) throws ArchiveFormatException {
        return segmentHolding(tarOffset).number();
    }

    private byte[] inflated(IndexSegment s) throws IOException, ArchiveFormatException {
        if (s != cached) {
            byte[] bytes = kept != null && toKeep == null ? kept.get(s) : null;
            if (bytes == null) {
                bytes = ahead != null ? ahead.take(s) : null;
                if (bytes == null) {
                    bytes = inflate(reader, s);
                }
                if (kept != null && toKeep != null && toKeep.contains(s.number())) {
                    kept.put(s, bytes);
                }
            }
            cached = s;
            cachedBytes = bytes;
        }
        return cachedBytes;
    }

    private static byte[] inflate(SegmentReader reader, IndexSegment s) throws IOException, ArchiveFormatException {
        byte[] bytes = new byte[(int) s.tarLength()];
        int[] filled = {0};
        reader.inflate(s, (b, off, len) -> {
            System.arraycopy(b, off, bytes, filled[0], len);
            filled[0] += len;
        });
        return bytes;
    }
}
