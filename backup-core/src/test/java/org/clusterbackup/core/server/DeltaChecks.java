package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.ArchiveSink;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.protocol.ArchiveInfo;

/** What an archive built from a delta is checked against: a full backup of the tree, and the tree itself. */
final class DeltaChecks {
    private DeltaChecks() {}

    /** The sha256 of what a full backup of {@code tree} as it is now makes at {@code level} (written under {@code scratch}). */
    static String fullBackupSha256(Path tree, Path scratch, int level) throws IOException {
        Path full = scratch.resolve("full-" + System.nanoTime() + ".tgz");
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());
                OutputStream out = Files.newOutputStream(full)) {
            archiver.write(archiver.scan(tree, StatCache.empty()), StatCache.empty(), ArchiveSink.of(out), level);
        }
        return Trees.sha256(full);
    }

    /** GNU tar extracts {@code archive} alone (under {@code scratch}) to exactly {@code tree}. */
    static void assertRestores(Path tree, ArchiveInfo archive, Path scratch) throws IOException {
        Path out = Files.createDirectory(scratch.resolve("out-" + archive.id() + "-" + System.nanoTime()));
        GnuTar.extract(Path.of(archive.file()), out);
        assertEquals(Trees.describe(tree), Trees.describe(out));
    }
}
