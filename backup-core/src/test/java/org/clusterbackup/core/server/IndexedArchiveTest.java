package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.client.ArchiveDownload;
import org.clusterbackup.core.index.SegmentedWire;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.Segment;
import org.clusterbackup.core.protocol.VerifyResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server side of indexed archives, against an agent that speaks the segmented format (honestly or not). */
class IndexedArchiveTest {
    /** Small segments, so the sample tree spans many and big.bin crosses several. */
    private static final int SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    Pipeline p;
    FakeAgent agent;
    Path tree;
    byte[] tar;
    TargetSelector target;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir).startServer();
        tree = Trees.sample(p.source);
        Trees.write(tree, "big.bin", "0123456789abcdef".repeat(40_000));
        Trees.write(tree, "zz/last.txt", "the last file\n");
        tar = SegmentedWire.tarOf(tree);
        agent = new FakeAgent(dir.resolve("fake-agent-state"), p.dataDir, r -> FakeAgent.archive(tar, SEGMENT));
        p.client.register(agent.node(), agent.port(), tree.toString(), 3600);
        target = new TargetSelector(agent.node(), tree.toString(), null);
    }

    @AfterEach
    void tearDown() throws IOException {
        agent.close();
        p.close();
    }

    private ArchiveInfo stored() throws IOException {
        ExecutionInfo run = p.client.run(target);
        assertEquals(Outcome.STORED, run.outcome(), run.error());
        return p.client.backups(target).get(0);
    }

    private static Path indexOf(ArchiveInfo a) {
        return Path.of(a.file().replaceAll("\\.tgz$", ".idx"));
    }

    @Test
    void storedArchiveGetsAnIndexBesideItThatListsItsEntriesInArchiveOrder() throws Exception {
        ArchiveInfo a = stored();

        assertTrue(Files.isRegularFile(indexOf(a)));
        GnuTar.gzipTest(Path.of(a.file()));
        List<String> tarNames = GnuTar.list(Path.of(a.file())).stream()
                .map(n -> n.endsWith("/") ? n.substring(0, n.length() - 1) : n)
                .toList();
        List<FileInfo> files = p.client.files(a.id());
        assertEquals(tarNames, files.stream().map(FileInfo::path).toList());
        FileInfo big = files.stream()
                .filter(f -> f.path().equals("big.bin"))
                .findFirst()
                .orElseThrow();
        assertEquals("file", big.type());
        assertEquals(640_000, big.sizeBytes());
        assertEquals(Trees.sha256(tree.resolve("big.bin")), big.sha256());
        FileInfo link = files.stream()
                .filter(f -> f.path().equals("a/link"))
                .findFirst()
                .orElseThrow();
        assertEquals("symlink", link.type());
        assertEquals("b/c/deep.txt", link.linkTarget());
        assertNull(link.sha256());
        assertEquals(
                "dir",
                files.stream()
                        .filter(f -> f.path().equals("bin"))
                        .findFirst()
                        .orElseThrow()
                        .type());
    }

    @Test
    void fetchOfOneFileGivesExactlyItsContent() throws Exception {
        ArchiveInfo a = stored();
        for (String name : List.of("big.bin", "zz/last.txt", "empty.txt", "données/été.txt")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.client.fetchFile(a.id(), name, out);
            assertArrayEquals(Files.readAllBytes(tree.resolve(name)), out.toByteArray(), name);
        }
        Path saved = dir.resolve("saved.bin");
        ArchiveDownload.fileToFile(p.client, a.id(), "big.bin", saved, bytes -> {});
        assertEquals(Trees.sha256(tree.resolve("big.bin")), Trees.sha256(saved));
    }

    @Test
    void fetchOfOneFileReadsOnlyTheSegmentsThatHoldIt() throws Exception {
        ArchiveInfo a = stored();
        Trees.flipByte(Path.of(a.file())); // damages a segment of big.bin, far from zz/last.txt

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.client.fetchFile(a.id(), "zz/last.txt", out);

        assertEquals("the last file\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void fetchOfAPathThatIsNotARegularFileIsNotFound() throws Exception {
        ArchiveInfo a = stored();
        for (String name : List.of("bin", "a/link", "no/such/file")) {
            RemoteErrorException e = assertThrows(
                    RemoteErrorException.class, () -> p.client.fetchFile(a.id(), name, new ByteArrayOutputStream()));
            assertEquals(ErrorCode.NOT_FOUND, e.code());
            assertTrue(e.getMessage().contains("has no regular file " + name), e.getMessage());
        }
    }

    @Test
    void fetchOfAFileFromADamagedSegmentIsAnIntegrityErrorAndWritesNothing() throws Exception {
        ArchiveInfo a = stored();
        Trees.flipByte(Path.of(a.file())); // the middle of the file: inside big.bin's segments
        Path saved = dir.resolve("saved.bin");

        RemoteErrorException e = assertThrows(
                RemoteErrorException.class,
                () -> ArchiveDownload.fileToFile(p.client, a.id(), "big.bin", saved, bytes -> {}));

        assertEquals(ErrorCode.INTEGRITY, e.code());
        assertTrue(e.getMessage().contains("segment"), e.getMessage());
        assertFalse(Files.exists(saved));
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().contains("saved")), "no partial file left");
        }
    }

    @Test
    void verifyNamesTheFirstDamagedSegmentAndTheFilesItHolds() throws Exception {
        ArchiveInfo a = stored();
        Trees.flipByte(Path.of(a.file()));

        VerifyResult r = p.client.verify(a.id(), null, false).get(0);

        assertFalse(r.ok());
        assertTrue(
                r.problem().matches(".*; segment \\d+ .*segment \\d+ holds tar bytes \\d+-\\d+: big\\.bin.*"),
                r.problem());
    }

    @Test
    void missingOrCorruptIndexIsAVerifyProblemAndTheArchiveCountsAsUnindexed() throws Exception {
        ArchiveInfo a = stored();
        Path index = indexOf(a);
        byte[] good = Files.readAllBytes(index);
        Trees.flipByte(index);

        assertTrue(p.client
                .verify(a.id(), null, false)
                .get(0)
                .problem()
                .contains("its index file is damaged (its checksum does not match)"));
        RemoteErrorException files = assertThrows(RemoteErrorException.class, () -> p.client.files(a.id()));
        assertEquals(ErrorCode.NOT_FOUND, files.code());
        assertTrue(files.getMessage().startsWith("archive " + a.id() + " has no usable index"), files.getMessage());

        Files.delete(index);
        VerifyResult r = p.client.verify(a.id(), null, false).get(0);
        assertFalse(r.ok());
        assertTrue(r.problem().contains("its index file is missing"), r.problem());
        assertThrows(
                RemoteErrorException.class, () -> p.client.fetchFile(a.id(), "big.bin", new ByteArrayOutputStream()));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        p.client.fetch(a.id(), whole);
        assertEquals(a.sizeBytes(), whole.size(), "the archive itself still fetches whole");

        Files.write(index, good);
        assertTrue(p.client.verify(a.id(), null, false).get(0).ok());
    }

    @Test
    void archiveStoredBeforeIndexesStillFetchesAndVerifiesButHasNoFiles() throws Exception {
        ArchiveInfo a = stored();
        p.stopServer();
        try (java.sql.Connection db =
                        java.sql.DriverManager.getConnection("jdbc:sqlite:" + p.dataDir.resolve("catalog.db"));
                java.sql.Statement st = db.createStatement()) {
            st.executeUpdate("UPDATE archives SET index_sha256 = NULL"); // as migration 3 leaves older rows
        }
        p.startServer();

        assertFalse(Files.exists(indexOf(a)), "start-up removed the index no row names");
        assertTrue(p.client.verify(a.id(), null, false).get(0).ok());
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        assertEquals(a.sha256(), p.client.fetch(a.id(), whole).sha256());
        RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> p.client.files(a.id()));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertEquals(
                "archive " + a.id() + " has no index: it was stored before archives were indexed (fetch and "
                        + "restore it whole)",
                e.getMessage());
    }

    @Test
    void agentThatLiesAboutASegmentFailsTheRunAndNothingIsKept() throws Exception {
        agent.answer = r -> {
            List<Message> wire = new java.util.ArrayList<>(SegmentedWire.wire(tar, SEGMENT, 64 * 1024));
            Segment s = (Segment) wire.get(1);
            wire.set(1, new Segment(s.tarLength(), s.gzLength(), s.crc32() ^ 0x10));
            return FakeAgent.archive(wire);
        };

        ExecutionInfo run = p.client.run(target);

        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(
                run.error()
                        .startsWith("the archive from agent " + agent.node() + ":" + agent.port()
                                + " is not valid: segment 0 has CRC-32"),
                run.error());
        assertNothingKept();
    }

    @Test
    void agentWhoseArchiveEndDisagreesWithItsBytesFailsTheRun() throws Exception {
        agent.answer = r -> {
            List<Message> all = new java.util.ArrayList<>(FakeAgent.archive(tar, SEGMENT));
            ArchiveEnd end = (ArchiveEnd) all.get(all.size() - 1);
            all.set(all.size() - 1, new ArchiveEnd(end.size(), "00".repeat(32), end.digest(), 1, List.of()));
            return all;
        };

        ExecutionInfo run = p.client.run(target);

        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("failed its check"), run.error());
        assertNothingKept();
    }

    @Test
    void agentOfTheOldUnsegmentedFormatFailsTheRunSayingWhy() throws Exception {
        agent.answer = r -> {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
                out.write(tar);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            byte[] tgz = gz.toByteArray();
            return List.of(
                    new org.clusterbackup.core.protocol.ArchiveBegin(1),
                    new org.clusterbackup.core.protocol.Data(tgz),
                    new ArchiveEnd(tgz.length, FakeAgent.sha256(tgz), "cd".repeat(32), 1, List.of()));
        };

        ExecutionInfo run = p.client.run(target);

        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("a gzip stream without Segment messages"), run.error());
        assertNothingKept();
    }

    @Test
    void indexThatCannotBeWrittenFailsTheRunAndNothingIsKept() throws Exception {
        // The first run of the first target is execution 1: its index's temp name is taken by a directory.
        Files.createDirectories(p.dataDir.resolve("archives/1/execution-1.idx.partial/blocker"));

        ExecutionInfo run = p.client.run(target);

        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().startsWith("cannot create the index in "), run.error());
        assertEquals(List.of(), p.client.backups(target));
        assertFalse(Files.exists(p.dataDir.resolve("archives/1/execution-1.partial")));
    }

    @Test
    void retentionDeletesTheIndexWithItsArchive() throws Exception {
        p.stopServer();
        p.settings = p.settings.withKeep(1);
        p.startServer();
        ArchiveInfo first = stored();
        Trees.write(tree, "top.txt", "changed\n");
        tar = SegmentedWire.tarOf(tree);
        stored();

        assertFalse(Files.exists(Path.of(first.file())));
        assertFalse(Files.exists(indexOf(first)));
    }

    @Test
    void startUpKeepsTheIndexOfAKeptArchiveAndDeletesAnOrphanIndex() throws Exception {
        ArchiveInfo a = stored();
        Path orphan = indexOf(a).resolveSibling("999.idx");
        Files.write(orphan, new byte[] {1});
        p.stopServer();
        p.startServer();

        assertTrue(Files.exists(indexOf(a)));
        assertFalse(Files.exists(orphan));
        assertEquals(
                p.client.files(a.id()).size(), GnuTar.list(Path.of(a.file())).size());
    }

    private void assertNothingKept() throws IOException {
        assertEquals(List.of(), p.client.backups(target));
        try (Stream<Path> files = Files.walk(p.dataDir.resolve("archives"))) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
        }
    }
}
