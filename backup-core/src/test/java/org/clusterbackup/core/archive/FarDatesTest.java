package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dates that nanoseconds in one {@code long} cannot hold (after 2262) are archived as they are. (Before 1677
 * would be the other end, but common file systems stop at 1901.)
 */
class FarDatesTest {
    @TempDir
    Path tmp;

    @Test
    void aFileDated2300IsArchivedWithItsRealDate() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path file = Trees.write(root, "future.txt", "from the future\n");
        touch(file, "2300-01-02 03:04:05");

        List<String> listing = GnuTar.listVerbose(archive(root));

        assertTrue(
                listing.stream().anyMatch(l -> l.contains(" 2300-01-02 03:04") && l.endsWith(" future.txt")),
                listing::toString);
    }

    /** The JDK cannot set such a date (it converts to nanoseconds in a long too); touch can. */
    private static void touch(Path file, String utc) throws IOException {
        Process p = new ProcessBuilder("touch", "-d", utc + " UTC", file.toString())
                .inheritIO()
                .start();
        try {
            assertEquals(0, p.waitFor());
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private Path archive(Path root) throws IOException {
        return Trees.archive(root, tmp.resolve("out.tgz"));
    }
}
