package org.clusterbackup.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.ManifestEntry;
import org.clusterbackup.core.archive.TreeScan;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block deltas (a file that changed in part sends only its changed blocks), over loopback with a real server and agent. */
class BlockDeltaTest {
    @TempDir
    Path dir;

    Pipeline p;
    Path tree;
    TargetSelector target;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
        tree = Trees.sample(Files.createDirectories(dir.resolve("src")));
        Random random = new Random(13);
        for (int i = 0; i < 40; i++) {
            Files.write(
                    Files.createDirectories(tree.resolve("text/d" + i % 4)).resolve("f" + i + ".txt"),
                    text(random, 2_000 + random.nextInt(60_000)));
        }
        byte[] big = new byte[3 << 20]; // streamed, not buffered: over 1 MiB
        random.nextBytes(big);
        Files.write(tree.resolve("db.img"), big);
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    static byte[] text(Random random, int size) {
        StringBuilder s = new StringBuilder();
        while (s.length() < size) {
            s.append("line ").append(random.nextInt(1_000_000)).append(" of some source file, with words\n");
        }
        return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private ExecutionInfo firstRunStored() throws IOException {
        p.start();
        target = p.register(tree);
        ExecutionInfo first = p.client.run(target);
        assertEquals(Outcome.STORED, first.outcome(), first.error());
        return first;
    }

    private ArchiveInfo newest() throws IOException {
        return p.client.backups(target).get(0);
    }

    private String fullBackupSha256() throws IOException {
        return DeltaChecks.fullBackupSha256(tree, dir, p.settings.compressionLevel());
    }

    private void assertRestoresTheTree(ArchiveInfo archive) throws IOException {
        DeltaChecks.assertRestores(tree, archive, dir);
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line, StandardOpenOption.APPEND);
    }

    private static void insert(Path file, long at, String line) throws IOException {
        byte[] old = Files.readAllBytes(file);
        byte[] add = line.getBytes(StandardCharsets.US_ASCII);
        byte[] next = new byte[old.length + add.length];
        System.arraycopy(old, 0, next, 0, (int) at);
        System.arraycopy(add, 0, next, (int) at, add.length);
        System.arraycopy(old, (int) at, next, (int) at + add.length, old.length - (int) at);
        Files.write(file, next);
    }

    private static void overwrite(Path file, long at, int length, long seed) throws IOException {
        byte[] page = new byte[length];
        new Random(seed).nextBytes(page);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(page), at);
        }
    }

    /** Appends, inserts, overwrites and truncations of files with signatures. */
    private long editInPart() throws IOException {
        long changed = 0;
        for (int i = 0; i < 40; i += 5) {
            Path f = tree.resolve("text/d" + i % 4 + "/f" + i + ".txt");
            changed += Files.size(f);
            switch (i % 4) {
                case 0 -> append(f, "one more line\n");
                case 1 -> insert(f, Files.size(f) / 2, "a line in the middle\n");
                case 2 -> overwrite(f, 700, 300, i);
                default -> {
                    try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        c.truncate(Files.size(f) - 1000);
                    }
                }
            }
        }
        overwrite(tree.resolve("db.img"), 1_500_000, 4096, 1);
        overwrite(tree.resolve("db.img"), 2_900_000, 4096, 2);
        return changed + (3 << 20);
    }

    @Test
    void filesChangedInPartTravelAsTheirChangedBlocksAndGiveTheArchiveAFullBackupWould() throws Exception {
        ExecutionInfo first = firstRunStored();
        long changed = editInPart();
        TreeEdits.ADD_FILE.apply(tree);
        TreeEdits.RENAME.apply(tree);

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals(List.of(), second.warnings(), "no fallback");
        assertEquals("BLOCKS", second.transfer());
        assertEquals(fullBackupSha256(), newest().sha256(), "byte-identical to a full backup");
        assertRestoresTheTree(newest());
        assertTrue(
                second.bytesReceived() * 20 < changed,
                "only the changed blocks: " + second.bytesReceived() + " bytes on the wire for " + changed
                        + " bytes of changed files");

        // The signatures were brought up to date: the next change of the same files is a block delta again.
        editInPart();
        ExecutionInfo third = p.client.run(target);
        assertEquals("BLOCKS", third.transfer(), third.warnings().toString());
        assertEquals(List.of(), third.warnings());
        assertEquals(fullBackupSha256(), newest().sha256());
        assertTrue(first.bytesReceived() > 10 * third.bytesReceived());
    }

    @Test
    void aSparseFileChangedBesideFilesChangedInPartGoesWholeAndTheArchiveIsAFullBackups() throws Exception {
        // 4 MiB with 3 MiB of holes: archived in the sparse format, whose tar content is not the file's bytes.
        try (FileChannel c =
                FileChannel.open(tree.resolve("sparse.img"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(text(new Random(5), 1 << 20)), 0);
            c.truncate(4 << 20);
            c.write(ByteBuffer.wrap(new byte[] {1}), (4 << 20) - 1);
        }
        firstRunStored();
        editInPart();
        overwrite(tree.resolve("sparse.img"), 2 << 20, 4096, 9); // data in a hole

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals(List.of(), second.warnings(), "no fallback: the sparse file goes whole, the others as blocks");
        assertEquals("BLOCKS", second.transfer());
        assertEquals(fullBackupSha256(), newest().sha256(), "byte-identical to a full backup");
        assertRestoresTheTree(newest());
    }

    /**
     * The agent's signature file, once there: the agent keeps it after the server has its archive (the run
     * may be reported first), and renames it into place whole, so being there means being complete.
     */
    private Path signatureFile() throws Exception {
        return await("the agent's signature file")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            try (Stream<Path> files = Files.list(dir.resolve("agent-state"))) {
                                return files.filter(
                                                f -> f.getFileName().toString().matches("signatures-[0-9a-f]+\\.bin"))
                                        .findFirst()
                                        .orElse(null);
                            }
                        },
                        Objects::nonNull);
    }

    @Test
    void aCorruptedSignatureFileStillGivesACorrectArchive() throws Exception {
        firstRunStored();
        Path signatures = signatureFile();
        try (RandomAccessFile f = new RandomAccessFile(signatures.toFile(), "rw")) {
            for (long at = 100; at < f.length() - 100; at += 997) {
                f.seek(at);
                f.write(f.read() ^ 0x5a);
            }
        }
        editInPart();

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals(fullBackupSha256(), newest().sha256());
        assertRestoresTheTree(newest());
    }

    @Test
    void aTruncatedSignatureFileCostsWholeFilesOnly() throws Exception {
        firstRunStored();
        Path signatures = signatureFile();
        try (FileChannel c = FileChannel.open(signatures, StandardOpenOption.WRITE)) {
            c.truncate(c.size() / 2);
        }
        editInPart();

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals("DELTA", second.transfer(), "changed files went whole");
        assertEquals(List.of(), second.warnings());
        assertEquals(fullBackupSha256(), newest().sha256());
        // And the signatures are whole again for the run after.
        editInPart();
        assertEquals("BLOCKS", p.client.run(target).transfer());
        assertEquals(fullBackupSha256(), newest().sha256());
    }

    @Test
    void aSignatureOfAnotherVersionMakesTheRebuildFailAndTheSameRunSendsInFull() throws Exception {
        // Two files of one size; the second differs from the first in its first block only.
        Random random = new Random(21);
        byte[] a = text(random, 20_000);
        byte[] b = a.clone();
        b[10] = '#';
        Files.write(tree.resolve("text/a.txt"), a);
        Files.write(tree.resolve("text/b.txt"), b);
        firstRunStored();
        // The agent's state now claims that a.txt's signature is b.txt's: another version of a.txt.
        SignatureFiles.swap(signatureFile(), key(a), key(b));
        // a.txt now starts like b.txt: its first block matches the (wrong) signature, so the agent copies
        // a block of the base a.txt that is not what the new a.txt has there.
        byte[] next = b.clone();
        next[15_000] = '!';
        Files.write(tree.resolve("text/a.txt"), next);

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals("FULL", second.transfer());
        assertTrue(
                second.warnings().get(0).contains("did not apply")
                        && second.warnings().get(0).contains("a.txt"),
                second.warnings().toString());
        assertEquals(fullBackupSha256(), newest().sha256());
        assertRestoresTheTree(newest());
    }

    private static long key(byte[] content) throws Exception {
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(content);
        return ByteBuffer.wrap(sha).getLong();
    }

    @Test
    void aFileRewrittenWhileBeingReadKeepsTheHotFileBehaviour() throws Exception {
        Path db = tree.resolve("db.img");
        boolean[] armed = {false};
        p.archive = ArchiveOptions.defaults().withHooks(new ArchiveHooks() {
            @Override
            public void afterScan(TreeScan scan) {
                if (armed[0]) {
                    // The scan read the file (same size, new mtime) and worked out its delta in that read; a stat
                    // that moves after it (the ctime, by setting the same mtime) makes the write read the file
                    // again, which is the read this test rewrites it during.
                    try {
                        Files.setLastModifiedTime(db, Files.getLastModifiedTime(db));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void afterChunk(ManifestEntry entry, long bytesSoFar) {
                if (armed[0] && entry.name().equals("db.img")) {
                    armed[0] = false;
                    try {
                        // Ahead of the read, and the stat moves (ctime). The mtime is put back, as archives keep
                        // it to the nanosecond: so a full backup of the tree afterwards has the header this
                        // run wrote, and the last check below compares content, as it means to.
                        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(db);
                        overwrite(db, 2_000_000, 4096, 99);
                        Files.setLastModifiedTime(db, mtime);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        firstRunStored();
        overwrite(db, 100_000, 4096, 3);
        armed[0] = true;

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals("BLOCKS", second.transfer());
        assertTrue(
                second.warnings().stream().anyMatch(w -> w.contains("db.img") && w.contains("changed")),
                second.warnings().toString());
        Path out = Files.createDirectory(dir.resolve("out"));
        GnuTar.extract(Path.of(newest().file()), out);
        // The page was rewritten ahead of the read, so what was read (and rebuilt) is the file as it is now.
        assertEquals(Trees.sha256(db), Trees.sha256(out.resolve("db.img")));

        // The file that moved is not trusted from the stat cache: the next run looks at it again, and the
        // newest archive is then a full backup's (a new one, or this one if nothing differs after all).
        ExecutionInfo third = p.client.run(target);
        assertTrue(
                List.of(Outcome.STORED, Outcome.UNCHANGED).contains(third.outcome()),
                third.outcome() + " " + third.error());
        assertEquals(fullBackupSha256(), newest().sha256());
        assertRestoresTheTree(newest());
    }
}
