package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.Fidelity;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in its own surefire execution with a 64 MiB heap (see backup-core/pom.xml): a file 32 times the
 * heap goes through the agent and the server, which only works if no stage holds it in memory.
 */
@Tag("bounded-memory")
class BoundedMemoryTest {
    private static final long SIZE = (2L << 30) + 12_345;

    @TempDir
    Path dir;

    @Test
    void aFileOfOver2GiBMovesThroughAgentAndServerWithA64MiBHeap() throws Exception {
        assertTrue(
                Runtime.getRuntime().maxMemory() <= 80L << 20,
                "this test must run with a small heap, not "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        try (Pipeline p = new Pipeline(dir).start()) {
            Path tree = Files.createDirectories(p.source.resolve("db"));
            try (RandomAccessFile sparse =
                    new RandomAccessFile(tree.resolve("big.img").toFile(), "rw")) {
                sparse.setLength(SIZE); // sparse: zeros that cost no disk
                sparse.seek(SIZE - 5);
                sparse.write("tail\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            TargetSelector target = p.register(tree);

            ExecutionInfo run = p.client.run(target);

            assertEquals(Outcome.STORED, run.outcome(), run.error());
            ArchiveInfo archive = p.client.backups(target).get(0);
            List<String> listing = GnuTar.listVerbose(Path.of(archive.file()));
            assertTrue(
                    listing.stream().anyMatch(l -> l.contains(" " + SIZE + " ") && l.endsWith("big.img")),
                    listing.toString());
        }
    }

    @Test
    void aFileOfOver2GiBWithAFewPagesRewrittenTravelsAsABlockDeltaWithA64MiBHeap() throws Exception {
        assertTrue(
                Runtime.getRuntime().maxMemory() <= 80L << 20,
                "this test must run with a small heap, not "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        Pipeline pipeline = new Pipeline(dir);
        // Written as plain content, not as a sparse entry (a sparse file goes whole, holes and all, in a few
        // bytes): this is about the block matcher's and the rebuild's memory on 2 GiB of content.
        pipeline.archive = ArchiveOptions.defaults().withFidelity(new Fidelity(true, true, false, true));
        try (Pipeline p = pipeline.start()) {
            Path tree = Files.createDirectories(p.source.resolve("db"));
            Path big = tree.resolve("big.img");
            try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
                sparse.setLength(SIZE);
            }
            TargetSelector target = p.register(tree);
            ExecutionInfo first = p.client.run(target);
            assertEquals(Outcome.STORED, first.outcome(), first.error());
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
                for (long page : new long[] {4096L * 10, 1L << 30, SIZE - 5000}) {
                    f.seek(page);
                    f.write("a rewritten page".repeat(256).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            }

            ExecutionInfo second = p.client.run(target);

            assertEquals(Outcome.STORED, second.outcome(), second.error());
            assertEquals("BLOCKS", second.transfer(), second.warnings().toString());
            assertTrue(second.bytesReceived() < 1 << 20, second.bytesReceived() + " bytes on the wire");
            ArchiveInfo archive = p.client.backups(target).get(0);
            List<String> listing = GnuTar.listVerbose(Path.of(archive.file()));
            assertTrue(
                    listing.stream().anyMatch(l -> l.contains(" " + SIZE + " ") && l.endsWith("big.img")),
                    listing.toString());
        }
    }
}
