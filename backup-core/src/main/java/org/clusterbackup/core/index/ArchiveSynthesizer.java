package org.clusterbackup.core.index;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.clusterbackup.core.archive.CountingOutputStream;
import org.clusterbackup.core.archive.SegmentRule;
import org.clusterbackup.core.fs.WriteBehind;

/**
 * Builds a new full archive from a stored one and a delta, on the server: the base's entries, minus the
 * removed names, with the delta's entries put in their place or added, merged in archive order and laid out
 * by the same {@link SegmentRule} the agent's writer follows. A segment whose tar bytes are exactly one of
 * the base's is copied compressed; the others are deflated anew at {@code level}. Given the base was written
 * at that level, the result is byte for byte the archive a full backup of the new tree would be, and its
 * index the one the receiver would build from it.
 *
 * <p>The base index is streamed (read twice: its segments first, then its entries); memory is the base's
 * segment list, the delta's entries and one or two segments of tar, whatever the size of the tree.
 */
public final class ArchiveSynthesizer {
    /** GNU tar's default blocking: the tar ends padded to a multiple of it, as the agent's writer pads it. */
    static final int RECORD_SIZE = 10_240;

    private static final int END_OF_ARCHIVE = 2 * TarHeader.BLOCK;

    /**
     * What was written.
     *
     * @param sha256 lowercase hex SHA-256 of the new {@code .tgz}
     * @param size its length in bytes
     * @param indexSha256 lowercase hex SHA-256 of its index (its trailer)
     * @param segments segments in it
     * @param copiedSegments of those, segments copied compressed from the base
     */
    public record Result(String sha256, long size, String indexSha256, long segments, long copiedSegments) {
        public Result {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(indexSha256, "indexSha256");
            if (size < 0 || segments < 0 || copiedSegments < 0 || copiedSegments > segments) {
                throw new IllegalArgumentException(
                        "impossible counts: size " + size + ", segments " + segments + ", copied " + copiedSegments);
            }
        }
    }

    private ArchiveSynthesizer() {}

    /**
     * Writes the new archive to {@code outArchive} and its index to {@code outIndex} (both created or
     * truncated, and forced to disk before this returns).
     *
     * @param baseArchive the stored {@code .tgz} the delta was made against
     * @param baseSha256 its SHA-256 as recorded when it was stored: the synthesis checks the whole file
     * @param baseIndex its index, opened (so checked)
     * @param deltaTar the new and changed entries: a plain tar stream, in archive order (see {@link DeltaEntries})
     * @param removed paths (as the index has them) of base entries that are gone
     * @param level the deflate level of the base archive and of the new one
     * @param entries told every entry of the new archive, in order, with its offsets there
     * @throws ArchiveFormatException the delta does not apply to this base (a removed or replaced name it does
     *         not hold, entries out of order, a tar the receiver would refuse), or the base is damaged
     */
    public static Result synthesize(
            Path baseArchive,
            String baseSha256,
            IndexFile baseIndex,
            Path deltaTar,
            Set<String> removed,
            int level,
            Path outArchive,
            Path outIndex,
            Consumer<IndexEntry> entries)
            throws IOException, ArchiveFormatException {
        return synthesize(
                baseArchive,
                baseSha256,
                baseIndex,
                deltaTar,
                Map.of(),
                null,
                removed,
                level,
                outArchive,
                outIndex,
                entries);
    }

    /**
     * Writes the new archive as {@link #synthesize(Path, String, IndexFile, Path, Set, int, Path, Path, Consumer)}
     * does, from a delta tar rebuilt from a block delta: the content ranges of its rebuilt files that were
     * copied from the base ({@code extents}, by path; see {@link BlockRebuild}) are laid out from the base's
     * tar, so a segment of an unchanged part of a long file is copied compressed, not deflated anew. The base
     * segments the block rebuild kept in {@code kept} (if not null) are read from there instead of being
     * inflated again; each is checked against its index record's CRC-32 as it is read, and inflated from the
     * base if it fails. The bytes are the same either way.
     */
    public static Result synthesize(
            Path baseArchive,
            String baseSha256,
            IndexFile baseIndex,
            Path deltaTar,
            Map<String, List<Extent>> extents,
            InflatedSegments kept,
            Set<String> removed,
            int level,
            Path outArchive,
            Path outIndex,
            Consumer<IndexEntry> entries)
            throws IOException, ArchiveFormatException {
        List<IndexSegment> baseSegments = baseIndex.segments();
        List<IndexEntry> changed = DeltaEntries.read(deltaTar);
        MessageDigest sha256 = sha256();
        try (FileChannel base = FileChannel.open(baseArchive, StandardOpenOption.READ);
                FileChannel delta = FileChannel.open(deltaTar, StandardOpenOption.READ);
                FileChannel target = FileChannel.open(
                        outArchive,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                IndexFileWriter index = new IndexFileWriter(outIndex)) {
            WriteBehind behind = new WriteBehind(target);
            CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(
                    new BufferedOutputStream(behind.following(Channels.newOutputStream(target)), 64 * 1024), sha256));
            BaseTar baseTar = new BaseTar(base, baseSegments);
            if (kept != null) {
                baseTar.readKept(kept);
            }
            SegmentAssembler assembler = new SegmentAssembler(baseTar, delta, counted, index, level);
            Merge merge = new Merge(assembler, changed, removed, entries, extents);
            try {
                baseIndex.read(new IndexFile.Visitor() {
                    @Override
                    public boolean entry(IndexEntry e) throws IOException {
                        merge.base(e);
                        return true;
                    }
                });
            } catch (Wrapped w) {
                if (w.checked instanceof IOException io) {
                    throw io;
                }
                throw (ArchiveFormatException) w.checked;
            }
            merge.finish();
            baseTar.checkWhole(baseSha256);
            String indexSha = assembler.finish();
            counted.flush();
            behind.force();
            return new Result(
                    HexFormat.of().formatHex(sha256.digest()),
                    counted.count(),
                    indexSha,
                    assembler.segments(),
                    assembler.copiedSegments());
        }
    }

    /** Merges the base's entries, streamed, with the delta's, and lays each out by the rule. */
    private static final class Merge {
        private final SegmentAssembler out;
        private final SegmentRule rule = new SegmentRule();
        private final Iterator<IndexEntry> changed;
        private final Set<String> replaced = new HashSet<>();
        private final Set<String> removed;
        private final Set<String> removedSeen = new HashSet<>();
        private final Consumer<IndexEntry> listener;
        private final Map<String, List<Extent>> extents;
        private IndexEntry next;
        private IndexEntry lastBase;

        Merge(
                SegmentAssembler out,
                List<IndexEntry> changed,
                Set<String> removed,
                Consumer<IndexEntry> listener,
                Map<String, List<Extent>> extents) {
            this.extents = extents;
            this.out = out;
            this.changed = changed.iterator();
            this.removed = Set.copyOf(removed);
            this.listener = listener;
            for (IndexEntry e : changed) {
                replaced.add(e.path());
            }
            next = this.changed.hasNext() ? this.changed.next() : null;
        }

        void base(IndexEntry e) {
            try {
                if (lastBase != null && ArchiveOrder.compare(lastBase, e) >= 0) {
                    throw new ArchiveFormatException("the base index is not in archive order at " + e.path());
                }
                lastBase = e;
                while (next != null && ArchiveOrder.compare(next, e) < 0) {
                    takeDelta();
                }
                if (removed.contains(e.path())) {
                    removedSeen.add(e.path());
                } else if (!replaced.contains(e.path())) {
                    lay(e, SegmentAssembler.Source.BASE);
                }
            } catch (IOException | ArchiveFormatException ex) {
                throw new Wrapped(ex);
            }
        }

        void finish() throws IOException, ArchiveFormatException {
            while (next != null) {
                takeDelta();
            }
            if (removedSeen.size() != removed.size()) {
                Set<String> missing = new HashSet<>(removed);
                missing.removeAll(removedSeen);
                throw new ArchiveFormatException(
                        "the delta removes " + missing.iterator().next() + ", which the base archive does not hold");
            }
            long end = out.position();
            long padded = (end + END_OF_ARCHIVE + RECORD_SIZE - 1) / RECORD_SIZE * RECORD_SIZE;
            rule.end(padded - end);
            layBytes(SegmentAssembler.Source.ZEROS, 0, padded - end);
        }

        private void takeDelta() throws IOException, ArchiveFormatException {
            if (removed.contains(next.path())) {
                throw new ArchiveFormatException("the delta both removes and sends " + next.path());
            }
            lay(next, SegmentAssembler.Source.DELTA);
            next = changed.hasNext() ? changed.next() : null;
        }

        /** One entry: told to the rule, then its bytes (header blocks, content, padding) cut where it says. */
        private void lay(IndexEntry e, SegmentAssembler.Source source) throws IOException, ArchiveFormatException {
            long headerLength = e.dataOffset() - e.headerOffset();
            long length = headerLength + SegmentRule.padded(e.dataLength());
            long start = out.position();
            IndexEntry moved = e.movedTo(start);
            rule.entry(ArchiveOrder.tarName(e), headerLength, e.dataLength());
            out.entry(moved);
            listener.accept(moved);
            List<Extent> ranges = source == SegmentAssembler.Source.DELTA ? extents.get(e.path()) : null;
            if (ranges != null && EntryPieces.covers(e, ranges)) {
                layPieces(EntryPieces.of(e, ranges), length);
            } else {
                layBytes(source, e.headerOffset(), length);
            }
        }

        /** One range of one source, cut where the rule says: the case of every entry but a rebuilt file's. */
        private void layBytes(SegmentAssembler.Source source, long from, long length)
                throws IOException, ArchiveFormatException {
            long start = out.position();
            long end = start + length;
            boolean zeros = source == SegmentAssembler.Source.ZEROS;
            for (long cut = rule.nextCut(); cut >= 0; cut = rule.nextCut()) {
                checkCut(cut, end);
                out.append(source, zeros ? 0 : from + out.position() - start, cut - out.position());
                out.cut();
            }
            out.append(source, zeros ? 0 : from + out.position() - start, end - out.position());
        }

        private void layPieces(EntryPieces pieces, long length) throws IOException, ArchiveFormatException {
            long end = out.position() + length;
            for (long cut = rule.nextCut(); cut >= 0; cut = rule.nextCut()) {
                checkCut(cut, end);
                pieces.append(out, cut - out.position());
                out.cut();
            }
            pieces.append(out, end - out.position());
        }

        private void checkCut(long cut, long end) {
            if (cut < out.position() || cut > end) {
                throw new IllegalStateException("cut at " + cut + " outside the entry at " + out.position());
            }
        }
    }

    /** Carries a checked exception out of an index visitor. */
    private static final class Wrapped extends RuntimeException {
        final transient Exception checked;

        Wrapped(Exception checked) {
            super(checked);
            this.checked = checked;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
