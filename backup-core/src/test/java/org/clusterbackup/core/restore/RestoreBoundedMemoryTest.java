package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in the surefire execution with a 64 MiB heap (see backup-core/pom.xml): a file four times the heap
 * is restored, which only works if the extractor streams it.
 */
@Tag("bounded-memory")
class RestoreBoundedMemoryTest {
    private static final long SIZE = (256L << 20) + 12_345;

    @TempDir
    Path tmp;

    @Test
    void aFileFourTimesTheHeapIsRestoredThroughFixedBuffers() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() <= 80L << 20,
                "this test must run with a small heap, not " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        try (RandomAccessFile sparse = new RandomAccessFile(tree.resolve("big.img").toFile(), "rw")) {
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
}
