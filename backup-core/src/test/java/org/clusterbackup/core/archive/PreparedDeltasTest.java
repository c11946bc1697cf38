package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import org.clusterbackup.core.delta.BlockStreamWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big file rewritten in place at the same size is read once per block-delta run: the scan hashes it and works
 * out its delta in the same read, and the write sends that delta. A touch stays Unchanged; a file that moves
 * between scan and write is read again.
 */
class PreparedDeltasTest {
    private static final int SIZE = 3 * 1024 * 1024 + 123;

    @TempDir
    Path dir;

    private final CountingOpener opener = new CountingOpener();
    private Path root;
    private Path big;
    private Path state;
    private ArchiveOptions options;
    private DeliveredManifests.Manifest delivered;

    @BeforeEach
    void delivered() throws IOException {
        root = Trees.sample(Files.createDirectories(dir.resolve("src")));
        byte[] content = new byte[SIZE];
        new Random(7).nextBytes(content);
        big = Files.write(root.resolve("pages.db"), content);
        // A day ahead: every file is old enough for the stat cache to vouch for it (its racy rule).
        options = ArchiveOptions.defaults()
                .withOpener(opener)
                .withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(1)));
        state = Files.createDirectories(dir.resolve("state"));
        StatCache cache = StatCache.load(state, root);
        try (TreeArchiver archiver = new TreeArchiver(options);
                SignatureStore kept = SignatureStore.load(state, root);
                SignatureRecorder run = kept.recorder()) {
            TreeScan scan = archiver.scan(root, cache);
            ArchiveSummary summary = archiver.write(scan, cache, ArchiveSink.of(new ByteArrayOutputStream()), 6, run);
            kept.commit(summary.entries(), run);
            delivered = new DeliveredManifests.Manifest(summary.digest(), summary.entries());
        }
        opener.reset();
    }

    @Test
    void aFileRewrittenInPlaceIsReadOnceAndSentAsTheSameBlockDelta() throws IOException {
        rewritePages(1);
        Run once = run(true);
        assertEquals(1, once.opensOfBig, "read once, by the scan");
        assertEquals(1, once.prepared);
        assertEquals(1, once.files, "sent as a block delta");

        Run twice = run(false);
        assertEquals(2, twice.opensOfBig, "without the scan's delta: read by the scan and again by the write");
        assertArrayEquals(twice.stream, once.stream, "the same block stream either way");
        assertEquals(twice.digest, once.digest);
        assertEquals(Trees.sha256(big), once.bigSha256);
    }

    @Test
    void aTouchOnlyChangeIsStillUnchangedAndPreparesNothing() throws IOException {
        Trees.shiftMtime(big, -3600);
        try (TreeArchiver archiver = new TreeArchiver(options);
                PreparedDeltas prepared = new PreparedDeltas(state, root)) {
            TreeScan scan = archiver.scan(root, StatCache.load(state, root), ScanListener.NONE, delivered, prepared);
            assertEquals(delivered.digest(), scan.digest());
            assertEquals(0, prepared.files());
            assertEquals(1, opener.opened().stream().filter(big::equals).count());
        }
    }

    @Test
    void aFileRewrittenAgainBetweenScanAndWriteIsReadAgainAndSentAsItIsThen() throws IOException {
        rewritePages(1);
        StatCache cache = StatCache.load(state, root);
        try (TreeArchiver archiver = new TreeArchiver(options);
                SignatureStore kept = SignatureStore.load(state, root);
                SignatureRecorder run = kept.recorder();
                PreparedDeltas prepared = new PreparedDeltas(state, root)) {
            TreeScan scan = archiver.scan(root, cache, ScanListener.NONE, delivered, prepared);
            assertEquals(1, prepared.files());
            rewritePages(2);
            Trees.shiftMtime(big, -7200); // a stat the scan did not see
            BlockStreamWriter blocks = new BlockStreamWriter(new ByteArrayOutputStream());
            ArchiveSummary summary =
                    archiver.writeBlockDelta(scan, cache, delivered, blocks, new HashSet<>(), kept, run, prepared);
            assertEquals(2, opener.opened().stream().filter(big::equals).count(), "read again by the write");
            assertEquals(Trees.sha256(big), entry(summary, "pages.db").sha256());
            assertEquals(1, blocks.files());
        }
    }

    /** One block-delta run against the delivered manifest, with or without the scan's deltas. */
    private Run run(boolean prepare) throws IOException {
        opener.reset();
        StatCache cache = StatCache.empty(); // each run hashes what the scan must, as the first after the rewrite
        try (TreeArchiver archiver = new TreeArchiver(options);
                SignatureStore kept = SignatureStore.load(state, root);
                SignatureRecorder run = kept.recorder();
                PreparedDeltas prepared = prepare ? new PreparedDeltas(state, root) : null) {
            TreeScan scan = archiver.scan(root, cache, ScanListener.NONE, delivered, prepared);
            assertNotEquals(delivered.digest(), scan.digest());
            int files = prepared == null ? 0 : prepared.files();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BlockStreamWriter blocks = new BlockStreamWriter(bytes);
            ArchiveSummary summary =
                    archiver.writeBlockDelta(scan, cache, delivered, blocks, new HashSet<>(), kept, run, prepared);
            blocks.finish();
            return new Run(
                    (int) opener.opened().stream().filter(big::equals).count(),
                    files,
                    blocks.files(),
                    bytes.toByteArray(),
                    summary.digest(),
                    entry(summary, "pages.db").sha256());
        }
    }

    private record Run(int opensOfBig, int prepared, long files, byte[] stream, String digest, String bigSha256) {}

    /** Rewrites three scattered 4 KiB pages in place (the size stays), with bytes that depend on {@code round}. */
    private void rewritePages(int round) throws IOException {
        Random random = new Random(round);
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            for (long page : new long[] {5, 300, 700}) {
                byte[] bytes = new byte[4096];
                random.nextBytes(bytes);
                f.seek(page * 4096);
                f.write(bytes);
            }
        }
    }

    private static ManifestEntry entry(ArchiveSummary summary, String name) {
        return summary.entries().stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
