package org.clusterbackup.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialFileTest {
    @TempDir
    Path tmp;

    @Test
    void aFinishedDownloadSyncsItsBytesThenItsDirectory() throws Exception {
        Path destination = tmp.resolve("archive.tgz");
        List<Boolean> syncedWhileInPlace = new ArrayList<>();

        try (PartialFile file = PartialFile.beside(destination, channel -> {
            syncedWhileInPlace.add(Files.exists(destination));
            channel.force(true);
        })) {
            file.stream().write("bytes".getBytes(StandardCharsets.US_ASCII));
            file.commit();
        }

        assertEquals(
                List.of(false, true),
                syncedWhileInPlace,
                "the file before its rename, then its directory, which makes the rename durable");
        assertEquals("bytes", Files.readString(destination));
    }
}
