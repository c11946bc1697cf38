package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import org.clusterbackup.core.delta.BlockStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed file is read once per block-delta run where the digest allows it, and a touch still costs nothing. */
class ReadOnceTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatGrewIsReadOnceAndATouchedOneIsStillHashedByTheScan() throws Exception {
        Path root = Trees.sample(Files.createDirectories(dir.resolve("src")));
        Path log = Trees.write(root, "logs/app.log", "line\n".repeat(2000));
        CountingOpener opener = new CountingOpener();
        // A clock a day ahead: every file is old enough for the stat cache to vouch for it (its racy rule).
        ArchiveOptions options = ArchiveOptions.defaults()
                .withOpener(opener)
                .withClock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(1)));
        Path state = Files.createDirectories(dir.resolve("state"));
        StatCache cache = StatCache.load(state, root);
        DeliveredManifests.Manifest delivered;
        try (TreeArchiver archiver = new TreeArchiver(options);
                SignatureStore kept = SignatureStore.load(state, root);
                SignatureRecorder run = kept.recorder()) {
            TreeScan scan = archiver.scan(root, cache);
            ArchiveSummary summary = archiver.write(scan, cache, ArchiveSink.of(new ByteArrayOutputStream()), 6, run);
            kept.commit(summary.entries(), run);
            delivered = new DeliveredManifests.Manifest(summary.digest(), summary.entries());
        }
        Files.writeString(log, "one more line\n", StandardOpenOption.APPEND);
        Trees.shiftMtime(root.resolve("top.txt"), -3600); // touched: same size, new mtime
        opener.reset();

        try (TreeArchiver archiver = new TreeArchiver(options);
                SignatureStore kept = SignatureStore.load(state, root);
                SignatureRecorder run = kept.recorder()) {
            TreeScan scan = archiver.scan(root, cache, ScanListener.NONE, delivered);
            assertEquals(List.of(root.resolve("top.txt")), opener.opened(), "the scan hashes the touched file only");
            assertNotEquals(delivered.digest(), scan.digest());
            opener.reset();
            BlockStreamWriter blocks = new BlockStreamWriter(new ByteArrayOutputStream());
            archiver.writeBlockDelta(scan, cache, delivered, blocks, new HashSet<>(), kept, run);
            assertEquals(1, opener.opened().stream().filter(log::equals).count(), "the log is read once, by the write");
            assertEquals(1, blocks.files(), "and sent as its changed blocks");
        }
    }
}
