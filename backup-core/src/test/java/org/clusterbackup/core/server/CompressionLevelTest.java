package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server owns the compression level: what it is started with is what the agent deflates at. */
class CompressionLevelTest {
    @TempDir
    Path dir;

    @Test
    void theStoredArchiveIsDeflatedAtTheServersLevel() throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            p.settings = p.settings.withCompressionLevel(1);
            p.start();
            Path tree = Trees.sample(p.source);
            Trees.write(tree, "big.txt", "compressible, and level 1 and 6 differ on it ".repeat(40_000));
            TargetSelector target = p.register(tree);

            ExecutionInfo run = p.client.run(target);

            assertEquals(Outcome.STORED, run.outcome(), run.error());
            ArchiveInfo archive = p.client.backups(target).get(0);
            byte[] stored = Files.readAllBytes(Path.of(archive.file()));
            assertArrayEquals(archived(tree, 1), stored, "the agent's archive at level 1, byte for byte");
        }
    }

    @Test
    void theLevelIsOneToNine() {
        ServerSettings settings = new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dir);
        assertEquals(ServerSettings.DEFAULT_COMPRESSION_LEVEL, settings.compressionLevel());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> settings.withCompressionLevel(0));
        assertEquals("compressionLevel must be between 1 and 9, was 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings.withCompressionLevel(10));
    }

    private static byte[] archived(Path tree, int level) throws IOException {
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withGzipLevel(level))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            archiver.write(archiver.scan(tree.toRealPath(), StatCache.empty()), StatCache.empty(), out);
            return out.toByteArray();
        }
    }
}
