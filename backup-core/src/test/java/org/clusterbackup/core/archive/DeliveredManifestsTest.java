package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveredManifestsTest {
    @TempDir
    Path tmp;

    private final Path root = Path.of("/srv/data");

    private static DeliveredManifests.Manifest manifest(String digest, String content) {
        return new DeliveredManifests.Manifest(
                digest,
                List.of(
                        ManifestEntry.directory("./", 0755, 1_700_000_000L, 0, 0),
                        ManifestEntry.file(
                                "a.txt",
                                0644,
                                content.length(),
                                1_700_000_001L,
                                1000,
                                1000,
                                java.util.HexFormat.of()
                                        .formatHex(TreeDigest.newSha256().digest(content.getBytes()))),
                        ManifestEntry.symlink("l", 0777, 1_700_000_002L, 0, 0, "a.txt")));
    }

    @Test
    void keepsTheLastDeliveredManifestsAcrossLoads() throws Exception {
        DeliveredManifests store = DeliveredManifests.load(tmp, root);
        for (int i = 1; i <= DeliveredManifests.KEPT + 1; i++) {
            store.delivered(manifest("digest" + i, "v" + i));
        }

        DeliveredManifests again = DeliveredManifests.load(tmp, root);

        assertTrue(again.find("digest1").isEmpty(), "the oldest is forgotten");
        for (int i = 2; i <= DeliveredManifests.KEPT + 1; i++) {
            assertEquals(
                    manifest("digest" + i, "v" + i), again.find("digest" + i).orElseThrow());
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "one file, no temp left behind");
        }
    }

    @Test
    void aDamagedFileReadsAsNoManifest() throws Exception {
        DeliveredManifests.load(tmp, root).delivered(manifest("d", "x"));
        Path file;
        try (Stream<Path> files = Files.list(tmp)) {
            file = files.findFirst().orElseThrow();
        }
        Trees.flipByte(file);

        assertTrue(DeliveredManifests.load(tmp, root).find("d").isEmpty());
    }

    @Test
    void anotherRootsManifestsAreNotShared() throws Exception {
        DeliveredManifests.load(tmp, root).delivered(manifest("d", "x"));

        assertTrue(DeliveredManifests.load(tmp, Path.of("/srv/other")).find("d").isEmpty());
    }
}
