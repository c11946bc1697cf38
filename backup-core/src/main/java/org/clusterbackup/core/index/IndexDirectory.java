package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A held index's entries by name: where each entry's record and name lie in the checked bytes, in an
 * open-addressing table keyed by the name's hash, and the segment records in order. Built by one scan, on
 * the first lookup; a lookup then reads the one record it names instead of every record before it (a file in
 * the middle of an 8,000-file archive was a scan of 4,000 records per {@code fetch --file}). It answers exactly
 * what the scan of {@link FileExtractor#locate} answers: the first entry of that name, and the segments whose
 * tar bytes overlap its content, in order.
 *
 * <p>About 28 bytes per entry besides the index's own (some 150), held as long as the index is.
 */
final class IndexDirectory {
    private final IndexFile index;
    private final byte[] bytes;
    /** Per entry, in file order: where its record starts (its tag), where its name starts, its length. */
    private final int[] records;

    private final int[] names;
    private final int[] lengths;
    private final int[] hashes;
    /** Entry number + 1 at the slot its hash leads to (then the next free one); 0 is empty. */
    private final int[] table;

    private final IndexSegment[] segments;

    private IndexDirectory(IndexFile index, byte[] bytes, Scan scan) {
        this.index = index;
        this.bytes = bytes;
        int n = scan.count;
        this.records = Arrays.copyOf(scan.records, n);
        this.names = Arrays.copyOf(scan.names, n);
        this.lengths = Arrays.copyOf(scan.lengths, n);
        this.hashes = Arrays.copyOf(scan.hashes, n);
        this.segments = scan.segments.toArray(new IndexSegment[0]);
        this.table = new int[Integer.highestOneBit(Math.max(n, 1)) << 2];
        int mask = table.length - 1;
        for (int i = 0; i < n; i++) {
            // Entries go in in file order, so an earlier one of the same name lies earlier on the probe path:
            // a lookup finds the first, as a scan does.
            int slot = spread(hashes[i]) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
    }

    /** Scans {@code index} (held as {@code bytes}) once. */
    static IndexDirectory of(IndexFile index, byte[] bytes) throws IOException {
        Scan scan = new Scan(bytes);
        index.read(scan);
        return new IndexDirectory(index, bytes, scan);
    }

    /** As {@link FileExtractor#locate}: null if the archive has no such entry. */
    FileExtractor.Located locate(String path) throws IOException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        int hash = hash(name, 0, name.length);
        int mask = table.length - 1;
        for (int slot = spread(hash) & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            int i = table[slot] - 1;
            if (sameName(i, name, 0, name.length, hash)) {
                IndexEntry e = index.entryAt(records[i]);
                return new FileExtractor.Located(e, holding(e.dataOffset(), e.dataEnd()));
            }
        }
        return null;
    }

    /** The segments overlapping the tar bytes {@code [from, to)}, in order: none for an empty range. */
    private List<IndexSegment> holding(long from, long to) {
        List<IndexSegment> found = new ArrayList<>();
        int lo = 0;
        int hi = segments.length;
        while (lo < hi) { // the first segment ending after from
            int mid = (lo + hi) >>> 1;
            if (segments[mid].tarEnd() <= from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < segments.length && segments[i].tarOffset() < to; i++) {
            if (segments[i].overlaps(from, to)) {
                found.add(segments[i]);
            }
        }
        return found;
    }

    private boolean sameName(int i, byte[] name, int offset, int length, int hash) {
        return hashes[i] == hash
                && Arrays.equals(bytes, names[i], names[i] + lengths[i], name, offset, offset + length);
    }

    private static int hash(byte[] b, int offset, int length) {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** The one scan: every record's start, every entry's name where it lies, no entry made an object. */
    private static final class Scan implements IndexFile.Visitor, IndexFile.RecordStarts {
        private final byte[] bytes;
        private final List<IndexSegment> segments = new ArrayList<>();
        private int[] records = new int[1024];
        private int[] names = new int[1024];
        private int[] lengths = new int[1024];
        private int[] hashes = new int[1024];
        private int count;
        private int record;

        Scan(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void recordAt(int offset) {
            record = offset;
        }

        @Override
        public boolean segment(IndexSegment s) {
            return segments.add(s);
        }

        @Override
        public boolean wants(byte[] name, int offset, int length) {
            if (name != bytes) {
                throw new IllegalStateException("a held index is read from its bytes");
            }
            if (count == records.length) {
                records = Arrays.copyOf(records, count * 2);
                names = Arrays.copyOf(names, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
                hashes = Arrays.copyOf(hashes, count * 2);
            }
            records[count] = record;
            names[count] = offset;
            lengths[count] = length;
            hashes[count] = hash(name, offset, length);
            count++;
            return false;
        }
    }
}
