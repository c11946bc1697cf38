package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.SegmentRule;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block rebuild with its base segments inflated ahead on a pool: the same rebuilt tar, extents and kept
 * segments as inflating each on the rebuilder's thread, whatever the pool does; a damaged segment reached
 * ahead fails the rebuild with the error it gave before, only where the rebuild reaches it; and a failed
 * rebuild leaves no file open.
 */
class BlockRebuildAheadTest {
    private static final int LEVEL = 6;
    /** Runs each task as it is handed over: every planned segment is inflated before the rebuilder asks. */
    private static final Executor AT_ONCE = Runnable::run;
    /** Never runs a task: the rebuilder inflates every segment itself, taking it from the window. */
    private static final Executor NEVER = task -> {};

    @TempDir
    Path tmp;

    Path root;
    Path stream;
    StoredArchives.Stored base;

    /**
     * 240 text files (many segments of small files) and three long files (each across several segments): a
     * third of the text files appended to, a page of two long files rewritten, and the third's halves swapped
     * (its copies read the base backwards).
     */
    @BeforeEach
    void baseAndBlockDelta() throws Exception {
        root = Files.createDirectories(tmp.resolve("tree"));
        Path state = Files.createDirectories(tmp.resolve("state"));
        Random random = new Random(7);
        for (int i = 0; i < 240; i++) {
            Trees.write(root, "text/t" + (1000 + i) + ".txt", text(random, 4000 + 250 * (i % 60)));
        }
        for (int i = 0; i < 3; i++) {
            Trees.write(root, "long" + i + ".txt", text(random, (int) (2.5 * SegmentRule.LONG_FILE)));
        }
        base = StoredArchives.fullWithSignatures(root, state, tmp, "base", LEVEL);
        for (int i = 0; i < 240; i += 3) {
            Files.writeString(
                    root.resolve("text/t" + (1000 + i) + ".txt"), "one more row\n", StandardOpenOption.APPEND);
        }
        for (int i = 0; i < 2; i++) {
            try (FileChannel c = FileChannel.open(root.resolve("long" + i + ".txt"), StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.wrap(new byte[4096]), 1_300_000 + 600_000L * i);
            }
        }
        byte[] third = Files.readAllBytes(root.resolve("long2.txt"));
        byte[] swapped = new byte[third.length];
        int half = third.length / 2;
        System.arraycopy(third, half, swapped, 0, third.length - half);
        System.arraycopy(third, 0, swapped, third.length - half, half);
        Files.write(root.resolve("long2.txt"), swapped);
        stream = tmp.resolve("delta.blocks");
        assertEquals(83, StoredArchives.blockDelta(root, state, base, stream, new HashSet<>()));
        assertTrue(base.entries().size() > 240);
    }

    private static String text(Random random, int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            s.append("row ").append(random.nextInt(1000)).append(" of a text file\n");
        }
        return s.toString();
    }

    /** What a rebuild gave: the result, the rebuilt tar and the kept segments' file. */
    private record Rebuilt(BlockRebuild.Result result, byte[] tar, byte[] keptBytes, int keptCount) {}

    private Rebuilt rebuild(Executor pool, int ahead, String name) throws Exception {
        Path tar = tmp.resolve(name + ".tar");
        Path keptFile = tmp.resolve(name + ".segments");
        try (IndexFile index = base.open();
                InflatedSegments kept = InflatedSegments.create(keptFile, 64L << 20)) {
            BlockRebuild.Result r = BlockRebuild.rebuild(stream, base.archive(), index, tar, 0, kept, pool, ahead);
            return new Rebuilt(r, Files.readAllBytes(tar), Files.readAllBytes(keptFile), kept.count());
        }
    }

    @Test
    void inflatingAheadGivesTheSameTarExtentsAndKeptSegmentsWhateverThePoolDoes() throws Exception {
        Rebuilt alone = rebuild(AT_ONCE, 0, "alone");
        assertEquals(0, alone.result().inflatedAhead());
        assertEquals(83, alone.result().files());
        assertTrue(alone.keptCount() > 10, alone.keptCount() + " segments kept");
        long segments = -1;
        List<Rebuilt> ahead = new ArrayList<>();
        ahead.add(rebuild(SegmentPool.POOL, BlockRebuild.AHEAD, "pool"));
        ahead.add(rebuild(SegmentPool.POOL, 1, "one"));
        ahead.add(rebuild(AT_ONCE, 64, "at-once"));
        ahead.add(rebuild(NEVER, 3, "never"));
        for (Rebuilt r : ahead) {
            assertArrayEquals(alone.tar(), r.tar());
            assertEquals(alone.result().extents(), r.result().extents());
            assertEquals(alone.result().copiedBytes(), r.result().copiedBytes());
            assertEquals(alone.result().literalBytes(), r.result().literalBytes());
            assertEquals(alone.keptCount(), r.keptCount());
            assertArrayEquals(alone.keptBytes(), r.keptBytes());
            if (segments < 0) {
                segments = r.result().inflatedAhead();
            }
            assertEquals(segments, r.result().inflatedAhead(), "every segment the rebuild read came from the plan");
        }
        assertTrue(segments > alone.keptCount(), segments + " segments inflated ahead");
    }

    @Test
    void theArchiveBuiltFromARebuildInflatedAheadIsAFullBackups() throws Exception {
        StoredArchives.Stored full = StoredArchives.full(root, tmp, "full", LEVEL);
        Path tar = tmp.resolve("pool.tar");
        try (IndexFile index = base.open();
                InflatedSegments kept = InflatedSegments.create(tmp.resolve("pool.segments"), 64L << 20)) {
            BlockRebuild.Result r = BlockRebuild.rebuild(
                    stream, base.archive(), index, tar, 0, kept, SegmentPool.POOL, BlockRebuild.AHEAD);
            ArchiveSynthesizer.Result built = ArchiveSynthesizer.synthesize(
                    base.archive(),
                    Trees.sha256(base.archive()),
                    index,
                    tar,
                    r.extents(),
                    kept,
                    new HashSet<>(),
                    LEVEL,
                    tmp.resolve("built.tgz"),
                    tmp.resolve("built.idx"),
                    e -> {});
            assertEquals(Trees.sha256(full.archive()), built.sha256());
            assertTrue(kept.reads() > 0);
        }
    }

    /** The segment holding {@code path}'s base content, damaged on disk: a bit of its deflate data flipped. */
    private IndexSegment damage(String path) throws Exception {
        IndexEntry entry = base.entries().stream()
                .filter(e -> e.path().equals(path))
                .findFirst()
                .orElseThrow();
        IndexSegment holding = null;
        for (IndexSegment s : base.segments()) {
            if (s.tarOffset() <= entry.dataOffset() && entry.dataOffset() < s.tarEnd()) {
                holding = s;
            }
        }
        assertTrue(holding != null && holding.number() > 5, "a segment the rebuild reaches late: " + holding);
        StoredArchives.flipByte(base.archive(), holding.gzOffset() + holding.gzLength() / 2);
        return holding;
    }

    private ArchiveFormatException refused(Executor pool, int ahead, long maxTar) throws Exception {
        try (IndexFile index = base.open()) {
            return assertThrows(
                    ArchiveFormatException.class,
                    () -> BlockRebuild.rebuild(
                            stream, base.archive(), index, tmp.resolve("refused.tar"), maxTar, null, pool, ahead));
        }
    }

    @Test
    void aDamagedSegmentInflatedAheadFailsTheRebuildWithTheSameErrorAsBefore() throws Exception {
        IndexSegment damaged = damage("text/t1234.txt");
        String before = refused(AT_ONCE, 0, 0).getMessage();
        assertTrue(before.contains("segment " + damaged.number()), before);
        assertEquals(before, refused(AT_ONCE, 64, 0).getMessage());
        assertEquals(before, refused(SegmentPool.POOL, BlockRebuild.AHEAD, 0).getMessage());
        assertEquals(before, refused(NEVER, 2, 0).getMessage());
    }

    /**
     * A rebuild that fails before it reaches a damaged segment inflated ahead fails for its own reason, and
     * leaves neither the stream nor the base archive open.
     */
    @Test
    void aFailureBeforeTheDamagedSegmentIsTheRebuildsOwnAndLeavesNoFileOpen() throws Exception {
        long tarSize = rebuild(AT_ONCE, 0, "whole").tar().length;
        damage("text/t1237.txt");
        String before = refused(AT_ONCE, 0, tarSize / 2).getMessage();
        assertTrue(before.contains("the run's limit"), before);
        assertEquals(before, refused(AT_ONCE, 64, tarSize / 2).getMessage());
        assertEquals(
                before,
                refused(SegmentPool.POOL, BlockRebuild.AHEAD, tarSize / 2).getMessage());
        assertEquals(List.of(), openFiles(stream, base.archive()));
    }

    /** Which of {@code files} this process holds open. */
    private static List<Path> openFiles(Path... files) throws IOException {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    for (Path f : files) {
                        if (target.equals(f.toRealPath())) {
                            open.add(f);
                        }
                    }
                } catch (IOException e) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return open;
    }
}
