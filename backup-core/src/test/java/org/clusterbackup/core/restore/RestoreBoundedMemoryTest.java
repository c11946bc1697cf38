package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in the surefire execution with a 64 MiB heap (see backup-core/pom.xml): a file four times the heap
 * is restored, which only works if the extractor streams it; and the heap is measured while tens of thousands
 * of directories are restored: remembering each (its path and attributes, a few hundred bytes, as the
 * extractor once did) grows it by megabytes, and a 600,000-directory archive then ran an agent out of heap.
 */
@Tag("bounded-memory")
class RestoreBoundedMemoryTest {
    private static final long SIZE = (256L << 20) + 12_345;
    private static final int DIRECTORIES = 20_000;
    /** Entries after which the heap is measured: growth between the two must not follow the count. */
    private static final int FIRST_MEASURE = 2_000;

    @TempDir
    Path tmp;

    @Test
    void aFileFourTimesTheHeapIsRestoredThroughFixedBuffers() throws Exception {
        assertTrue(
                Runtime.getRuntime().maxMemory() <= 80L << 20,
                "this test must run with a small heap, not "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        try (RandomAccessFile sparse =
                new RandomAccessFile(tree.resolve("big.img").toFile(), "rw")) {
            sparse.setLength(SIZE); // a hole: zeros that cost no disk on this side
            sparse.seek(SIZE - 5);
            sparse.write("tail\n".getBytes(StandardCharsets.US_ASCII));
        }
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withGzipLevel(1));
        Path archive = tmp.resolve("big.tgz");
        try (OutputStream out = Files.newOutputStream(archive)) {
            archiver.write(archiver.scan(tree, StatCache.empty()), StatCache.empty(), out);
        }
        Path target = Files.createDirectories(tmp.resolve("restores")).resolve("big");

        ExtractResult result;
        try (InputStream in = Files.newInputStream(archive)) {
            result = new SafeExtractor(ExtractHooks.NONE).extract(in, target);
        }

        assertEquals(SIZE, result.bytes());
        assertEquals(SIZE, Files.size(target.resolve("big.img")));
        assertEquals(Trees.sha256(tree.resolve("big.img")), Trees.sha256(target.resolve("big.img")));
    }

    @Test
    void theHeapDoesNotGrowWithTheNumberOfDirectories() throws Exception {
        Path archive = tmp.resolve("dirs.tgz");
        try (OutputStream file = Files.newOutputStream(archive);
                GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            put(tar, "./");
            for (int i = 0; i < DIRECTORIES; i++) {
                put(tar, String.format("d%06d/", i));
            }
        }
        long[] used = new long[2];
        int[] entries = {0};
        ExtractHooks measuring = new ExtractHooks() {
            @Override
            public void sync(FileChannel channel) {
                // tens of thousands of fsyncs take minutes on a real disk; that each is made is tested elsewhere
            }

            @Override
            public void afterEntry(String name, Path written) {
                entries[0]++;
                if (entries[0] == FIRST_MEASURE) {
                    used[0] = usedAfterGc();
                } else if (entries[0] == DIRECTORIES) {
                    used[1] = usedAfterGc();
                }
            }
        };
        Path target = Files.createDirectories(tmp.resolve("restores")).resolve("dirs");

        try (InputStream in = Files.newInputStream(archive)) {
            new SafeExtractor(measuring).extract(in, target);
        }

        long grown = used[1] - used[0];
        assertTrue(
                grown < 3L << 20,
                "the heap grew by " + (grown >> 10) + " KiB over " + (DIRECTORIES - FIRST_MEASURE) + " directories");
        try (Stream<Path> restored = Files.list(target)) {
            assertEquals(DIRECTORIES, restored.count());
        }
    }

    private static long usedAfterGc() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }

    private static void put(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR);
        e.setMode(0750);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }
}
