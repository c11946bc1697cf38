package org.clusterbackup.core.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An {@link ArchiveSink} that keeps the archive's bytes and its segments, in order. */
final class RecordingSink implements ArchiveSink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<CompressedSegment> segments = new ArrayList<>();
    byte[] header;
    byte[] tail;

    @Override
    public void header(byte[] h) throws IOException {
        if (header != null || !segments.isEmpty()) {
            throw new AssertionError("header twice or after a segment");
        }
        header = h.clone();
        bytes.write(h);
    }

    @Override
    public void segment(CompressedSegment segment) throws IOException {
        if (header == null || tail != null) {
            throw new AssertionError("segment before the header or after the tail");
        }
        segments.add(segment);
        segment.writeTo(bytes);
    }

    @Override
    public void tail(byte[] t) throws IOException {
        if (header == null || tail != null) {
            throw new AssertionError("tail before the header, or twice");
        }
        tail = t.clone();
        bytes.write(t);
    }

    long tarLength() {
        return segments.stream().mapToLong(CompressedSegment::tarLength).sum();
    }

    /** "tarLength/crc32" per segment: what identifies a segment's content. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (CompressedSegment s : segments) {
            keys.add(s.tarLength() + "/" + Long.toHexString(s.crc32()));
        }
        return keys;
    }
}
