package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.client.ArchiveDownload;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.client.IntegrityException;
import org.clusterbackup.core.client.LocalWriteException;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads into a file: whole and checked, or not at all, and local failures told apart from the server's. */
class ArchiveDownloadTest {
    @TempDir
    Path dir;

    private Pipeline p;
    private ArchiveInfo archive;
    private Path downloads;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir).start();
        Path app = Files.createDirectories(p.source.resolve("app"));
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content); // incompressible: several chunks on the wire
        Files.write(app.resolve("data.bin"), content);
        TargetSelector target = p.register(app);
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        archive = p.client.backups(target).get(0);
        downloads = Files.createDirectories(dir.resolve("downloads"));
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    @Test
    void theFileIsTheStoredArchiveAndProgressCountsUpToItsSize() throws IOException {
        Path target = downloads.resolve("copy.tgz");
        List<Long> progress = new ArrayList<>();
        FetchResult result = ArchiveDownload.toFile(p.client, archive.id(), target, progress::add);
        assertArrayEquals(Files.readAllBytes(Path.of(archive.file())), Files.readAllBytes(target));
        assertEquals(new FetchResult(archive.id(), archive.sizeBytes(), archive.sha256()), result);
        assertTrue(progress.size() > 1, "one report per chunk: " + progress);
        assertEquals(ProtocolLimits.DATA_CHUNK, progress.get(0));
        assertEquals(archive.sizeBytes(), progress.get(progress.size() - 1));
        assertEquals(List.of(target), filesIn(downloads), "no temporary file left");
    }

    @Test
    void aDamagedArchiveWritesNothingAndLeavesTheDestinationAsItWas() throws IOException {
        Trees.flipByte(Path.of(archive.file()));
        Path target = downloads.resolve("copy.tgz");
        Files.writeString(target, "an older copy");
        IntegrityException e = assertThrows(
                IntegrityException.class, () -> ArchiveDownload.toFile(p.client, archive.id(), target, bytes -> {}));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertEquals("an older copy", Files.readString(target));
        assertEquals(List.of(target), filesIn(downloads), "the partial copy is deleted");
    }

    @Test
    void anUnknownArchiveIsRefusedAndNothingIsWritten() throws IOException {
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class,
                () -> ArchiveDownload.toFile(p.client, 9999, downloads.resolve("x.tgz"), bytes -> {}));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals(List.of(), filesIn(downloads));
    }

    @Test
    void anUnreachableServerIsNotALocalFailureAndNothingIsWritten() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            dead = s.getLocalPort();
        }
        BackupClient nobody = BackupClient.of(new HostPort("127.0.0.1", dead), "cli");
        assertThrows(
                UnreachableException.class,
                () -> ArchiveDownload.toFile(nobody, archive.id(), downloads.resolve("x.tgz"), bytes -> {}));
        assertEquals(List.of(), filesIn(downloads));
    }

    @Test
    void aMissingDirectoryIsALocalFailureNamingIt() {
        Path missing = dir.resolve("nowhere");
        LocalWriteException e = assertThrows(
                LocalWriteException.class,
                () -> ArchiveDownload.toFile(p.client, archive.id(), missing.resolve("x.tgz"), bytes -> {}));
        assertEquals(
                "cannot write " + missing.resolve("x.tgz") + ": " + missing + ": no such directory", e.getMessage());
    }

    @Test
    void aDirectoryInTheWayFailsAfterTheTransferAndLeavesNoTemporaryFile() throws IOException {
        Path target = Files.createDirectories(downloads.resolve("taken"));
        Files.writeString(target.resolve("inside"), "x");
        LocalWriteException e = assertThrows(
                LocalWriteException.class, () -> ArchiveDownload.toFile(p.client, archive.id(), target, bytes -> {}));
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
        assertEquals(List.of(target), filesIn(downloads));
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
