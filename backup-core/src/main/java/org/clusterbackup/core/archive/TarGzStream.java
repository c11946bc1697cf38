package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A deterministic, standard {@code .tar.gz} stream in the segmented format (see {@link SegmentRule} and
 * {@code docs/STORAGE.md}): the same entries at the same level give the same bytes.
 *
 * <ul>
 * <li>Every header is built by hand from our fields ({@link TarEntryHeader}): numeric owners, empty user and
 *     group names, ustar blocks with one PAX header only where ustar cannot say it (long or non-ASCII names,
 *     sizes from 8 GiB, large ids, mtimes with a fraction of a second, extended attributes, sparse maps),
 *     its records sorted.</li>
 * <li>Padded to whole 10 KiB records, GNU tar's default blocking.</li>
 * <li>One gzip member made of independently deflated segments, cut where {@link SegmentRule} says and
 *     compressed by a {@link SegmentWriter}, possibly on several threads.</li>
 * </ul>
 * Nothing is held beyond the segments in flight. The caller's sink is never closed: it belongs to the caller.
 */
final class TarGzStream implements AutoCloseable {
    /** GNU tar's default blocking (20 × 512): the archive ends padded to a multiple of it, as tar -czf's does. */
    static final int RECORD_SIZE = 10_240;
    /** Two zero blocks end a tar stream. */
    private static final int END_OF_ARCHIVE = 2 * SegmentRule.BLOCK;

    /** Null for a plain tar stream (a delta), which is not cut into segments. */
    private final SegmentRule rule;

    private final SegmentWriter segments;
    /** What a plain tar stream has written so far; null for a segmented archive. */
    private final CountingOutputStream plain;

    private final OutputStream tar;
    /** Data bytes the current entry still expects; -1 between entries. */
    private long remaining = -1;

    private long entrySize;

    /**
     * @param level deflate level, 0 to 9
     * @param executor where segments are compressed
     * @param window segments compressing or waiting to be sent at once
     * @param budget memory shared with the other writes of the archiver
     */
    TarGzStream(ArchiveSink sink, int level, Executor executor, int window, InFlightBudget budget) {
        rule = new SegmentRule();
        segments = new SegmentWriter(rule, sink, level, executor, window, budget);
        plain = null;
        tar = segments;
    }

    /**
     * A plain tar stream to {@code out} (flushed by {@link #finish()}, never closed): entries byte for byte as
     * a segmented archive has them, for a delta the server merges into one.
     */
    TarGzStream(OutputStream out) {
        rule = null;
        segments = null;
        plain = new CountingOutputStream(out);
        tar = plain;
    }

    /**
     * Writes a directory, symlink or hard link entry, which has no content.
     *
     * @param pax further PAX records (extended attributes), possibly none
     */
    void putEmpty(ManifestEntry e, Map<String, String> pax) throws IOException {
        char flag = switch (e.type()) {
            case DIRECTORY -> '5';
            case SYMLINK -> '2';
            case HARDLINK -> '1';
            case FILE -> throw new IllegalArgumentException("a file has content: " + e.name());
        };
        put(new TarEntryHeader(
                e.name(), flag, e.mode(), 0, e.mtime(), e.mtimeNanos(), e.uid(), e.gid(), e.linkTarget(), pax));
        endFile();
    }

    /**
     * Starts a regular file whose header {@code header} is (typeflag {@code '0'}); exactly its size in bytes must
     * follow before {@link #endFile()}.
     */
    void beginFile(TarEntryHeader header) throws IOException {
        put(header);
    }

    private void put(TarEntryHeader header) throws IOException {
        if (remaining >= 0) {
            throw new IllegalStateException("an entry is still open before " + header.name());
        }
        long start = position();
        tar.write(header.encode());
        remaining = header.size();
        entrySize = header.size();
        planCuts(header.name(), start, header.size());
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > remaining) {
            throw new IllegalStateException("more data than the entry's size " + entrySize);
        }
        tar.write(bytes, offset, length);
        remaining -= length;
    }

    /** Ends the entry: its data must be complete; pads it to a whole block. */
    void endFile() throws IOException {
        if (remaining != 0) {
            throw new IllegalStateException(remaining + " bytes of the entry's " + entrySize + " are missing");
        }
        int padding = (int) (SegmentRule.padded(entrySize) - entrySize);
        if (padding > 0) {
            tar.write(new byte[padding]);
        }
        remaining = -1;
    }

    /** Ends the tar (two zero records, padded to a whole record) and the archive; the sink gets the tail. */
    void finish() throws IOException {
        if (remaining >= 0) {
            throw new IllegalStateException("the last entry is still open");
        }
        long end = position();
        long padded = (end + END_OF_ARCHIVE + RECORD_SIZE - 1) / RECORD_SIZE * RECORD_SIZE;
        if (plain != null) {
            plain.write(new byte[(int) (padded - end)]);
            plain.flush();
            return;
        }
        rule.end(padded - end);
        takeCuts();
        segments.write(new byte[(int) (padded - end)]);
        if (segments.position() != padded) {
            throw new IllegalStateException("the tar ended at " + segments.position() + ", not " + padded);
        }
        segments.finish();
    }

    /** Segments sent so far (all of them once {@link #finish()} returned). */
    long segments() {
        return segments.segments();
    }

    /**
     * Abandons what is in flight. Never writes: after a failure the caller's sink may be broken, and a half
     * archive is abandoned, not completed.
     */
    @Override
    public void close() {
        if (segments != null) {
            segments.close();
        }
    }

    /**
     * Tells the rule about the entry whose header the tar writer has just written (all of it: header records
     * are written whole), and plans its cuts. The header's length is measured, PAX records included.
     */
    private void planCuts(String name, long start, long dataSize) throws IOException {
        if (plain != null) {
            return;
        }
        if (rule.position() != start) {
            throw new IllegalStateException("the rule is at " + rule.position() + ", the tar at " + start);
        }
        long headerLength = segments.position() - start;
        rule.entry(name, headerLength, dataSize);
        takeCuts();
    }

    private long position() {
        return plain != null ? plain.count() : segments.position();
    }

    private void takeCuts() throws IOException {
        segments.takeCuts();
    }
}
