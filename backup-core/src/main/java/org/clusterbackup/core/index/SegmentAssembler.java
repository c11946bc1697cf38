package org.clusterbackup.core.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import org.clusterbackup.core.archive.CompressedSegment;
import org.clusterbackup.core.archive.Crc32Combine;
import org.clusterbackup.core.archive.SegmentDeflater;

/**
 * Writes a segmented archive whose tar bytes come from elsewhere: ranges of a base archive's tar stream,
 * ranges of a delta file (raw tar), or zeros. The caller appends ranges and says where segments end; a
 * segment made of exactly one base segment's bytes is copied compressed, any other is read (inflating only
 * the base segments it needs), and deflated at the given level as the agent's writer deflates it, so the
 * output is the same bytes. It also writes the archive's index, records in the order the receiver writes
 * them (an entry when its content has passed, a segment when it ends), so the index is the same file too.
 *
 * <p>Memory: the tar of the segments deflating at once (a few per core, at most 4 MiB each), the base's last
 * inflated segment, and the entries whose content has not yet passed the end of a written segment.
 */
final class SegmentAssembler {
    /** Where a range of tar bytes comes from. */
    enum Source {
        BASE,
        DELTA,
        ZEROS
    }

    private record Piece(Source source, long from, long length) {}

    /**
     * Segments cut and deflating (or deflated, waiting for their turn to be written): a few per core, 4 MiB of
     * tar each at most. Segments to copy wait in the same queue but hold no bytes, so they do not count: a
     * run of copies behind a deflating segment must not stop the next touched segment from being read and
     * handed to another core (with a bound on all queued segments, the deflates of a 1% change ran one at a
     * time, each waited for before the copies after it).
     */
    private static final int WINDOW = 2 * Runtime.getRuntime().availableProcessors();
    /** Queued segments of either kind, a bound on the queue's own memory (a record each). */
    private static final int MAX_QUEUED = 1024;
    /** Deflates touched segments on every core, as the agent's writer does: the server's shared pool. */
    private static final ThreadPoolExecutor POOL = SegmentPool.POOL;

    private final BaseTar base;
    private final FileChannel delta;
    private final OutputStream out;
    private final IndexFileWriter index;
    private final int level;
    private final List<Piece> open = new ArrayList<>();
    private final ArrayDeque<IndexEntry> pending = new ArrayDeque<>();
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private long openStart;
    private long position;
    private long gzOffset;
    private long crc32;
    private long segments;
    private long copied;
    /** Queued segments handed to the pool and not yet written. */
    private int deflating;

    /**
     * @param out the new {@code .tgz}; gets the gzip header at once
     */
    SegmentAssembler(BaseTar base, FileChannel delta, OutputStream out, IndexFileWriter index, int level)
            throws IOException {
        this.base = base;
        this.delta = delta;
        this.out = out;
        this.index = index;
        this.level = level;
        out.write(GzipLayout.header());
        gzOffset = GzipLayout.HEADER_LENGTH;
    }

    /** The tar offset of the next byte appended. */
    long position() {
        return position;
    }

    /** Segments copied compressed from the base so far. */
    long copiedSegments() {
        return copied;
    }

    /** Segments written so far. */
    long segments() {
        return segments;
    }

    /** An entry of the new archive (offsets in the new tar); its index record goes out once its content has. */
    void entry(IndexEntry e) {
        pending.add(e);
    }

    /** Appends {@code length} bytes from {@code source}, starting at {@code from} there, to the open segment. */
    void append(Source source, long from, long length) {
        if (length <= 0) {
            return;
        }
        if (!open.isEmpty()) {
            Piece last = open.get(open.size() - 1);
            if (last.source == source && (source == Source.ZEROS || last.from + last.length == from)) {
                open.set(open.size() - 1, new Piece(source, last.from, last.length + length));
                position += length;
                return;
            }
        }
        open.add(new Piece(source, from, length));
        position += length;
    }

    /**
     * Ends the open segment here (nothing happens if it is empty). A segment to deflate is read now and
     * deflated on the pool; segments are written, with their index records, in order as they are done.
     */
    void cut() throws IOException, ArchiveFormatException {
        long length = position - openStart;
        if (length == 0) {
            return;
        }
        IndexSegment same = open.size() == 1 && open.get(0).source == Source.BASE
                ? base.segmentExactly(open.get(0).from, length)
                : null;
        CompletableFuture<CompressedSegment> deflated = null;
        if (same == null) {
            List<byte[]> tar = read(length);
            deflated = CompletableFuture.supplyAsync(() -> SegmentDeflater.deflate(tar, length, level), POOL);
        }
        queued.add(new Queued(openStart, length, same, deflated));
        if (deflated != null) {
            deflating++;
        }
        openStart = position;
        open.clear();
        // Whatever is ready at the head goes out now; then wait only while too many segments are deflating.
        while (!queued.isEmpty() && queued.peek().ready()) {
            writeOldest();
        }
        while (deflating > WINDOW || queued.size() > MAX_QUEUED) {
            writeOldest();
        }
    }

    /** Writes the oldest queued segment: copied from the base, or as the pool deflated it. */
    private void writeOldest() throws IOException, ArchiveFormatException {
        Queued q = queued.poll();
        long gzLength;
        long crc;
        if (q.same != null) {
            base.copyCompressed(q.same, out);
            gzLength = q.same.gzLength();
            crc = q.same.crc32();
            copied++;
        } else {
            CompressedSegment s = q.deflated.join();
            deflating--;
            s.writeTo(out);
            gzLength = s.gzLength();
            crc = s.crc32();
        }
        IndexSegment written = new IndexSegment(segments, q.tarStart, q.length, gzOffset, gzLength, crc);
        while (!pending.isEmpty() && completion(pending.peek()) <= written.tarEnd()) {
            index.entry(pending.poll());
        }
        index.segment(written);
        crc32 = Crc32Combine.combine(crc32, crc, q.length);
        gzOffset += gzLength;
        segments++;
    }

    /** A segment cut but not yet written. */
    private record Queued(
            long tarStart, long length, IndexSegment same, CompletableFuture<CompressedSegment> deflated) {
        /** Can be written without waiting: a copy, or a deflate that has finished. */
        boolean ready() {
            return deflated == null || deflated.isDone();
        }
    }

    /**
     * Writes the gzip tail and finishes the index. Every byte must be in a segment.
     *
     * @return lowercase hex SHA-256 of the index
     */
    String finish() throws IOException, ArchiveFormatException {
        while (!queued.isEmpty()) {
            writeOldest();
        }
        if (position != openStart || !pending.isEmpty()) {
            throw new IllegalStateException("the archive ends with " + (position - openStart)
                    + " bytes outside a segment and " + pending.size() + " entries not indexed");
        }
        out.write(GzipLayout.tail(crc32, position));
        return index.finish(position, gzOffset + GzipLayout.TAIL_LENGTH);
    }

    /** Where the receiver reports an entry: when the last byte of its content (else of its header) has passed. */
    private static long completion(IndexEntry e) {
        return e.kind() == EntryKind.FILE && e.dataLength() > 0 ? e.dataEnd() : e.dataOffset();
    }

    /** The open segment's tar bytes, in chunks for the deflater. */
    private List<byte[]> read(long length) throws IOException, ArchiveFormatException {
        List<byte[]> chunks = new ArrayList<>();
        byte[] chunk = null;
        int filled = 0;
        for (Piece p : open) {
            long at = p.from;
            long left = p.length;
            while (left > 0) {
                if (chunk == null || filled == chunk.length) {
                    chunk = new byte[(int) Math.min(SegmentDeflater.CHUNK, length)];
                    chunks.add(chunk);
                    filled = 0;
                    length -= chunk.length;
                }
                int n = (int) Math.min(left, chunk.length - filled);
                switch (p.source) {
                    case BASE -> base.read(at, chunk, filled, n);
                    case DELTA -> readDelta(at, chunk, filled, n);
                    case ZEROS -> {} // fresh arrays are zeros
                    default -> throw new IllegalStateException(p.source.name());
                }
                filled += n;
                at += n;
                left -= n;
            }
        }
        return chunks;
    }

    private void readDelta(long at, byte[] dst, int offset, int length) throws IOException, ArchiveFormatException {
        ByteBuffer b = ByteBuffer.wrap(dst, offset, length);
        while (b.hasRemaining()) {
            int n = delta.read(b, at + b.position() - offset);
            if (n < 0) {
                throw new ArchiveFormatException(
                        "the delta ends at byte " + (at + b.position() - offset) + ", before the entries it lists");
            }
        }
    }
}
