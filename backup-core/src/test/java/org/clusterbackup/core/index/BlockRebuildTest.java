package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.clusterbackup.core.archive.SegmentRule;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.delta.BlockStream;
import org.clusterbackup.core.delta.BlockStreamReader;
import org.clusterbackup.core.delta.BlockStreamWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's side of a block delta: rebuilding files from the base archive, and refusing what does not rebuild. */
class BlockRebuildTest {
    private static final int LEVEL = 6;

    @TempDir
    Path tmp;

    Path root;
    Path state;
    StoredArchives.Stored base;

    @BeforeEach
    void baseArchiveWithSignatures() throws Exception {
        root = Files.createDirectories(tmp.resolve("tree"));
        state = Files.createDirectories(tmp.resolve("state"));
        Random random = new Random(31);
        for (int i = 0; i < 30; i++) {
            StringBuilder s = new StringBuilder();
            while (s.length() < 3000 + 500 * i) {
                s.append("row ").append(random.nextInt()).append(" of a text file\n");
            }
            Trees.write(root, "text/t" + i + ".txt", s.toString());
        }
        byte[] big = new byte[(int) (3 * SegmentRule.LONG_FILE)];
        random.nextBytes(big);
        Files.write(root.resolve("long.bin"), big);
        base = StoredArchives.fullWithSignatures(root, state, tmp, "base", LEVEL);
        for (int i = 0; i < 30; i += 3) {
            Files.writeString(root.resolve("text/t" + i + ".txt"), "one more row\n", StandardOpenOption.APPEND);
        }
        try (FileChannel c = FileChannel.open(root.resolve("long.bin"), StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[4096]), 2_500_000); // in the long file's last piece
        }
    }

    /** The agent's block delta of the tree against the base, as a plain (not deflated) stream. */
    private Path blockDelta(Set<String> removed) throws Exception {
        Path stream = tmp.resolve("delta.blocks");
        assertEquals(
                11,
                StoredArchives.blockDelta(root, state, base, stream, removed),
                "the appended text files and the long file went as block deltas");
        return stream;
    }

    @Test
    void rebuiltFilesGiveTheArchiveAFullBackupWouldAndCopyUntouchedSegments() throws Exception {
        Set<String> removed = new HashSet<>();
        Path stream = blockDelta(removed);
        Path rebuilt = tmp.resolve("delta.tar");
        StoredArchives.Stored full = StoredArchives.full(root, tmp, "full", LEVEL);

        ArchiveSynthesizer.Result plain;
        ArchiveSynthesizer.Result mapped;
        BlockRebuild.Result r;
        try (IndexFile index = base.open()) {
            r = BlockRebuild.rebuild(stream, base.archive(), index, rebuilt, 0);
            plain = ArchiveSynthesizer.synthesize(
                    base.archive(),
                    Trees.sha256(base.archive()),
                    index,
                    rebuilt,
                    removed,
                    LEVEL,
                    tmp.resolve("plain.tgz"),
                    tmp.resolve("plain.idx"),
                    e -> {});
            mapped = ArchiveSynthesizer.synthesize(
                    base.archive(),
                    Trees.sha256(base.archive()),
                    index,
                    rebuilt,
                    r.extents(),
                    null,
                    removed,
                    LEVEL,
                    tmp.resolve("mapped.tgz"),
                    tmp.resolve("mapped.idx"),
                    e -> {});
        }

        assertEquals(11, r.files());
        assertTrue(
                r.copiedBytes() > 100 * r.literalBytes(),
                "copied " + r.copiedBytes() + ", literal " + r.literalBytes());
        assertEquals(Trees.sha256(full.archive()), plain.sha256());
        assertEquals(Trees.sha256(full.archive()), mapped.sha256());
        assertTrue(
                mapped.copiedSegments() > plain.copiedSegments(),
                "the long file's first piece is copied compressed: " + mapped.copiedSegments() + " against "
                        + plain.copiedSegments());
    }

    /**
     * The segments the rebuild inflated around the rebuilt files are kept and read back by the synthesis
     * instead of being inflated again; the archive is the same bytes as a full backup's.
     */
    @Test
    void theSynthesisReadsTheSegmentsTheRebuildKeptInsteadOfInflatingThemAgain() throws Exception {
        Set<String> removed = new HashSet<>();
        Path stream = blockDelta(removed);
        StoredArchives.Stored full = StoredArchives.full(root, tmp, "full", LEVEL);
        Path keptFile = tmp.resolve("kept.partial.segments");
        try (IndexFile index = base.open();
                InflatedSegments kept = InflatedSegments.create(keptFile, 64L << 20)) {
            BlockRebuild.Result r = BlockRebuild.rebuild(stream, base.archive(), index, tmp.resolve("d.tar"), 0, kept);
            assertTrue(kept.count() > 0, "the segments holding the appended text files are kept");
            ArchiveSynthesizer.Result built = synthesize(index, r, kept, removed, "kept");
            assertEquals(Trees.sha256(full.archive()), built.sha256());
            assertTrue(kept.reads() >= kept.count(), kept.reads() + " reads of " + kept.count() + " kept segments");
        }
        assertTrue(Files.notExists(keptFile), "closing deletes the temp file");
    }

    /**
     * Kept segments damaged before the synthesis reads them (zeros where their bytes were: wrong CRC-32s) are
     * inflated from the base instead: the same archive, and none of the damaged bytes used.
     */
    @Test
    void aDamagedKeptSegmentIsInflatedFromTheBaseInstead() throws Exception {
        Set<String> removed = new HashSet<>();
        Path stream = blockDelta(removed);
        StoredArchives.Stored full = StoredArchives.full(root, tmp, "full", LEVEL);
        Path keptFile = tmp.resolve("kept.partial.segments");
        try (IndexFile index = base.open();
                InflatedSegments kept = InflatedSegments.create(keptFile, 64L << 20)) {
            BlockRebuild.Result r = BlockRebuild.rebuild(stream, base.archive(), index, tmp.resolve("d.tar"), 0, kept);
            assertTrue(kept.count() > 0);
            Files.write(keptFile, new byte[(int) Files.size(keptFile)], StandardOpenOption.WRITE);
            ArchiveSynthesizer.Result built = synthesize(index, r, kept, removed, "damaged");
            assertEquals(Trees.sha256(full.archive()), built.sha256());
            assertEquals(0, kept.reads(), "no damaged segment was used");
        }
    }

    /** Nothing is kept past the bound: the synthesis inflates those segments, with the same result. */
    @Test
    void segmentsPastTheBoundAreNotKept() throws Exception {
        Set<String> removed = new HashSet<>();
        Path stream = blockDelta(removed);
        StoredArchives.Stored full = StoredArchives.full(root, tmp, "full", LEVEL);
        try (IndexFile index = base.open();
                InflatedSegments kept = InflatedSegments.create(tmp.resolve("kept.partial.segments"), 1)) {
            BlockRebuild.Result r = BlockRebuild.rebuild(stream, base.archive(), index, tmp.resolve("d.tar"), 0, kept);
            assertEquals(0, kept.count());
            assertEquals(
                    Trees.sha256(full.archive()),
                    synthesize(index, r, kept, removed, "none").sha256());
            assertEquals(0, kept.reads());
        }
    }

    private ArchiveSynthesizer.Result synthesize(
            IndexFile index, BlockRebuild.Result r, InflatedSegments kept, Set<String> removed, String name)
            throws Exception {
        return ArchiveSynthesizer.synthesize(
                base.archive(),
                Trees.sha256(base.archive()),
                index,
                tmp.resolve("d.tar"),
                r.extents(),
                kept,
                removed,
                LEVEL,
                tmp.resolve(name + ".tgz"),
                tmp.resolve(name + ".idx"),
                e -> {});
    }

    /** Re-encodes a block delta stream, the first copy of each file moved by {@code shift} and renamed by {@code rename}. */
    private Path tampered(Path stream, long shift, String renameFrom, String renameTo) throws Exception {
        Path out = tmp.resolve("tampered-" + System.nanoTime());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(stream));
                OutputStream file = new BufferedOutputStream(Files.newOutputStream(out))) {
            BlockStreamReader r = new BlockStreamReader(in);
            BlockStreamWriter w = new BlockStreamWriter(file);
            for (int kind = r.next(); kind != BlockStream.END; kind = r.next()) {
                if (kind == BlockStream.TAR) {
                    r.copyTar(w);
                    continue;
                }
                String path = r.path().equals(renameFrom) ? renameTo : r.path();
                long size = r.size();
                w.beginFile(path, size);
                boolean first = true;
                for (int op = r.nextOp(); op != BlockStream.OP_END; op = r.nextOp()) {
                    if (op == BlockStream.COPY) {
                        w.copy(r.copyOffset() + (first ? shift : 0), r.length());
                        first = false;
                    } else {
                        java.io.ByteArrayOutputStream literal = new java.io.ByteArrayOutputStream();
                        r.copyTar(literal);
                        w.literal(literal.toByteArray(), 0, literal.size());
                    }
                }
                for (long left = size; left > 0; left -= Math.min(left, 65536)) {
                    w.write(new byte[(int) Math.min(left, 65536)]); // the content the tar writer writes: dropped
                }
                w.endFile(r.sha256());
            }
            w.finish();
        }
        return out;
    }

    private void assertRefused(Path stream, String reason) throws Exception {
        try (IndexFile index = base.open()) {
            ArchiveFormatException e = assertThrows(
                    ArchiveFormatException.class,
                    () -> BlockRebuild.rebuild(stream, base.archive(), index, tmp.resolve("refused.tar"), 0));
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }
    }

    @Test
    void aCopyOfTheWrongBytesFailsTheSha256AndNothingIsBuilt() throws Exception {
        Path stream = blockDelta(new HashSet<>());
        assertRefused(tampered(stream, 512, "", ""), "is not the agent's");
    }

    @Test
    void aCopyBeyondTheBaseVersionOrFromAFileTheBaseLacksIsRefused() throws Exception {
        Path stream = blockDelta(new HashSet<>());
        assertRefused(tampered(stream, 1L << 40, "", ""), "whose base version has");
        assertRefused(tampered(stream, 0, "text/t3.txt", "text/nope.txt"), "does not hold");
    }

    @Test
    void aMalformedStreamIsRefused() throws Exception {
        Path stream = blockDelta(new HashSet<>());
        byte[] bytes = Files.readAllBytes(stream);
        Files.write(stream, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        assertRefused(stream, "malformed");
        Files.write(stream, "\u0009".getBytes(StandardCharsets.US_ASCII));
        assertRefused(stream, "malformed");
    }

    @Test
    void aRebuildBeyondTheRunsLimitIsRefused() throws Exception {
        Path stream = blockDelta(new HashSet<>());
        try (IndexFile index = base.open()) {
            ArchiveFormatException e = assertThrows(
                    ArchiveFormatException.class,
                    () -> BlockRebuild.rebuild(stream, base.archive(), index, tmp.resolve("big.tar"), 100_000));
            assertTrue(e.getMessage().contains("limit"), e.getMessage());
        }
    }
}
