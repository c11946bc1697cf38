package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent writes of one archiver share its budget: none waits forever, and all the room comes back. */
class InFlightBudgetTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void twoWritesSharingTheSmallestBudgetBothFinishAndGiveEverythingBack() throws Exception {
        InFlightBudget budget = new InFlightBudget(2 * (int) SegmentRule.HARD_LIMIT);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try (TreeArchiver archiver =
                new TreeArchiver(ArchiveOptions.defaults().withThreads(2).withGzipLevel(1), budget)) {
            List<Future<RecordingSink>> writes = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Path root = treeWithRandomFile("tree" + w, 12 * MIB, w);
                writes.add(writers.submit(() -> write(archiver, root)));
            }
            for (Future<RecordingSink> f : writes) {
                RecordingSink sink = f.get(120, TimeUnit.SECONDS);
                assertEquals(14, sink.segments.size(), "./ and the header, 12 pieces, the end");
            }
        } finally {
            writers.shutdownNow();
        }
        assertEquals(budget.bytes(), budget.availableBytes());
    }

    @Test
    void anAbandonedWriteGivesItsRoomBack() throws Exception {
        InFlightBudget budget = new InFlightBudget(InFlightBudget.DEFAULT_BYTES);
        Path root = treeWithRandomFile("tree", 12 * MIB, 3);
        ArchiveSink failing = new ArchiveSink() {
            @Override
            public void header(byte[] header) throws IOException {
                throw new IOException("the network went away");
            }

            @Override
            public void segment(CompressedSegment segment) {}

            @Override
            public void tail(byte[] tail) {}
        };
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withThreads(2), budget)) {
            TreeScan scan = archiver.scan(root, StatCache.empty());
            assertThrows(IOException.class, () -> archiver.write(scan, StatCache.empty(), failing, 1));
        }
        assertEquals(budget.bytes(), budget.availableBytes());
    }

    @Test
    void aBudgetMustHoldTwoSegments() {
        assertThrows(IllegalArgumentException.class, () -> new InFlightBudget((int) SegmentRule.HARD_LIMIT));
    }

    private static RecordingSink write(TreeArchiver archiver, Path root) throws IOException {
        RecordingSink sink = new RecordingSink();
        archiver.write(archiver.scan(root, StatCache.empty()), StatCache.empty(), sink, 1);
        return sink;
    }

    private Path treeWithRandomFile(String name, int size, long seed) throws IOException {
        Path root = Files.createDirectories(tmp.resolve(name));
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.write(root.resolve("random.bin"), bytes);
        return root;
    }
}
