package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Where a segmented archive goes, piece by piece and in order: the gzip header, each compressed segment,
 * the tail. The bytes given, in order, are the {@code .tgz}. Called on the thread that writes the archive.
 */
public interface ArchiveSink {
    /** The 10-byte gzip header ({@link SegmentedGzip#header()}), first. */
    void header(byte[] header) throws IOException;

    /** The next segment. */
    void segment(CompressedSegment segment) throws IOException;

    /** The 10-byte tail ({@link SegmentedGzip#tail}), last. */
    void tail(byte[] tail) throws IOException;

    /** The archive's bytes, written to {@code out} (flushed at the end, never closed). */
    static ArchiveSink of(OutputStream out) {
        Objects.requireNonNull(out, "out");
        return new ArchiveSink() {
            @Override
            public void header(byte[] header) throws IOException {
                out.write(header);
            }

            @Override
            public void segment(CompressedSegment segment) throws IOException {
                segment.writeTo(out);
            }

            @Override
            public void tail(byte[] tail) throws IOException {
                out.write(tail);
                out.flush();
            }
        };
    }
}
