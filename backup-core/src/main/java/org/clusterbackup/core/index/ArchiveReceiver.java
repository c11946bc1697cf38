package org.clusterbackup.core.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.clusterbackup.core.protocol.Segment;

/**
 * Checks a segmented archive as it arrives from an agent and writes its index. Fed every {@code Data} and
 * {@code Segment} message in order, it expects the gzip header, then segments whose {@code Data} frames
 * carry exactly their declared lengths, then the tail; it inflates each segment alone, parses the tar
 * stream, hashes every file's content and writes the index records to {@code indexFile}. It trusts nothing
 * the agent declared: any mismatch is an {@link ArchiveFormatException} naming it, and the run fails.
 * Memory is one segment's inflater and fixed buffers, whatever the archive's size.
 */
public final class ArchiveReceiver implements AutoCloseable {
    private enum State {
        HEADER,
        BETWEEN,
        IN_SEGMENT,
        DONE
    }

    private final IndexFileWriter index;
    private final TarIndexer tar;
    private final CRC32 crc = new CRC32();
    private State state = State.HEADER;
    private SegmentInflater current;
    private long segments;
    private long gzOffset;
    private long segmentStart;
    private long segmentTarStart;
    private long segmentTarLength;
    private long segmentCrc;
    private String indexSha256;

    public ArchiveReceiver(Path indexFile) throws IOException {
        this.index = new IndexFileWriter(indexFile);
        this.tar = new TarIndexer(this::entry);
    }

    /** @return the bytes of the archive received so far */
    public long data(byte[] bytes) throws ArchiveFormatException, IOException {
        try {
            switch (state) {
                case HEADER -> header(bytes);
                case BETWEEN -> tail(bytes);
                case IN_SEGMENT -> segmentData(bytes);
                case DONE -> throw new ArchiveFormatException("Data after the gzip trailer");
                default -> throw new IllegalStateException(state.name());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        gzOffset += bytes.length;
        return gzOffset;
    }

    /** @return the segment's number */
    public long segment(Segment s) throws ArchiveFormatException {
        if (state != State.BETWEEN) {
            throw new ArchiveFormatException("a Segment message "
                    + switch (state) {
                        case HEADER -> "before the gzip header";
                        case IN_SEGMENT ->
                            "inside segment " + segments + ", " + current.gzRemaining() + " bytes before its end";
                        default -> "after the gzip trailer";
                    });
        }
        if (s.tarLength() < 1
                || s.tarLength() > Segment.MAX_TAR_LENGTH
                || s.gzLength() < 1
                || s.gzLength() > Segment.MAX_GZ_LENGTH
                || s.crc32() < 0
                || s.crc32() > 0xffffffffL) {
            throw new ArchiveFormatException("segment " + segments + " is declared with impossible lengths or CRC: "
                    + s.tarLength() + " bytes of tar, " + s.gzLength() + " bytes of deflate data, CRC " + s.crc32()
                    + " (at most " + Segment.MAX_TAR_LENGTH + " and " + Segment.MAX_GZ_LENGTH + ")");
        }
        segmentStart = gzOffset;
        segmentTarStart = tar.offset();
        segmentTarLength = s.tarLength();
        segmentCrc = s.crc32();
        current = new SegmentInflater(segments, s.tarLength(), s.gzLength(), s.crc32(), this::tarBytes);
        state = State.IN_SEGMENT;
        return segments;
    }

    /**
     * The agent's {@code ArchiveEnd} came: the stream must be complete, and the index is finished and forced.
     *
     * @return lowercase hex SHA-256 of the index, for the catalog
     */
    public String end() throws ArchiveFormatException, IOException {
        if (state != State.DONE) {
            throw new ArchiveFormatException("the archive ended "
                    + switch (state) {
                        case HEADER -> "before its gzip header";
                        case IN_SEGMENT ->
                            "inside segment " + segments + ", " + current.gzRemaining() + " bytes before its end";
                        default -> "after segment " + (segments - 1) + " without the gzip tail";
                    });
        }
        return indexSha256;
    }

    private void header(byte[] bytes) throws ArchiveFormatException {
        if (bytes.length != GzipLayout.HEADER_LENGTH && GzipLayout.looksLikeGzip(bytes)) {
            throw new ArchiveFormatException("the agent sent a gzip stream without Segment messages: it predates "
                    + "indexed archives and must be upgraded to match this server");
        }
        if (!GzipLayout.isHeader(bytes)) {
            throw new ArchiveFormatException("the archive does not start with the expected 10-byte gzip header");
        }
        state = State.BETWEEN;
    }

    private void segmentData(byte[] bytes) throws ArchiveFormatException {
        if (bytes.length > current.gzRemaining()) {
            throw new ArchiveFormatException("a Data frame of " + bytes.length + " bytes straddles the end of segment "
                    + segments + ", which has " + current.gzRemaining() + " bytes left");
        }
        current.feed(bytes, 0, bytes.length);
        if (current.gzRemaining() == 0) {
            current.finish();
            current.close();
            current = null;
            IndexSegment s = new IndexSegment(
                    segments,
                    segmentTarStart,
                    segmentTarLength,
                    segmentStart,
                    gzOffset + bytes.length - segmentStart,
                    segmentCrc);
            write(() -> index.segment(s));
            segments++;
            state = State.BETWEEN;
        }
    }

    private void tail(byte[] bytes) throws ArchiveFormatException, IOException {
        if (bytes.length != GzipLayout.TAIL_LENGTH
                || bytes[0] != GzipLayout.FINAL_BLOCK[0]
                || bytes[1] != GzipLayout.FINAL_BLOCK[1]) {
            throw new ArchiveFormatException("Data outside a segment: " + bytes.length + " bytes after "
                    + (segments == 0 ? "the gzip header" : "segment " + (segments - 1))
                    + " where a Segment or the 10-byte gzip tail was expected");
        }
        byte[] expected = GzipLayout.tail(crc.getValue(), tar.offset());
        if (!java.util.Arrays.equals(bytes, expected)) {
            throw new ArchiveFormatException("the gzip tail does not match the segments: it says CRC-32 "
                    + hex(bytes, 2) + " and length " + hex(bytes, 6) + ", the tar stream has CRC-32 "
                    + hex(expected, 2) + " and length " + hex(expected, 6) + " (mod 2^32)");
        }
        tar.finish();
        indexSha256 = index.finish(tar.offset(), gzOffset + bytes.length);
        state = State.DONE;
    }

    private void tarBytes(byte[] b, int off, int len) throws ArchiveFormatException {
        crc.update(b, off, len);
        tar.accept(b, off, len);
    }

    private void entry(IndexEntry e) {
        write(() -> index.entry(e));
    }

    private interface Write {
        void run() throws IOException;
    }

    /** Index writes happen inside inflater callbacks, which speak ArchiveFormatException only. */
    private static void write(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(byte[] b, int at) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return Long.toHexString(v);
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
        index.close();
    }
}
