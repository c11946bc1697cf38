package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.FidelityTrees;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.restore.ExtractHooks;
import org.clusterbackup.core.restore.SafeExtractor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Send only what changed", over loopback with a real server and agent. */
class DeltaTransferTest {
    @TempDir
    Path dir;

    Pipeline p;
    Path tree;
    TargetSelector target;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
        tree = Trees.sample(Files.createDirectories(dir.resolve("src")));
        Random random = new Random(5);
        for (int i = 0; i < 60; i++) {
            byte[] bytes = new byte[20_000 + random.nextInt(20_000)];
            random.nextBytes(bytes);
            Files.write(Files.createDirectories(tree.resolve("bulk/d" + i % 6)).resolve("f" + i + ".bin"), bytes);
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
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

    @Test
    void everyKindOfChangeTravelsAsADeltaAndGivesTheArchiveAFullBackupWould() throws Exception {
        ExecutionInfo first = firstRunStored();
        for (TreeEdits edit : List.of(
                TreeEdits.EDIT_CONTENT,
                TreeEdits.ADD_FILE,
                TreeEdits.CHMOD,
                TreeEdits.NEW_EMPTY_DIRECTORY,
                TreeEdits.CHANGED_SYMLINK_TARGET,
                TreeEdits.RENAME)) {
            edit.apply(tree); // RENAME last: it moves the file CHMOD changes
        }
        Files.delete(tree.resolve("bulk/d1/f1.bin"));
        Files.delete(tree.resolve("ro/inside.txt")); // an emptied directory
        Trees.chmod(tree.resolve("ro"), 0555);

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals(List.of(), second.warnings(), "no fallback");
        assertEquals("FULL", first.transfer());
        assertEquals("DELTA", second.transfer());
        ArchiveInfo archive = newest();
        assertEquals(fullBackupSha256(), archive.sha256(), "byte-identical to a full backup");
        assertEquals(Trees.sha256(Path.of(archive.file())), archive.sha256());
        assertTrue(
                second.bytesReceived() * 10 < first.bytesReceived(),
                "a delta: " + second.bytesReceived() + " bytes against " + first.bytesReceived() + " for the full");
        assertRestoresTheTree(archive);

        ExecutionInfo third = p.client.run(target);
        assertEquals(Outcome.UNCHANGED, third.outcome(), third.error());
        assertEquals(null, third.transfer());
    }

    @Test
    void aBigFileThatIsNearlyAllTheTreeGoesWholeAndTheNextSmallChangeAsADelta() throws Exception {
        firstRunStored();
        // 70 MiB of new content, over 90% of the tree's bytes: a delta would save next to nothing.
        Random random = new Random(11);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(tree.resolve("big.bin"))) {
            for (int i = 0; i < 70; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }

        ExecutionInfo whole = p.client.run(target);

        assertEquals(Outcome.STORED, whole.outcome(), whole.error());
        assertEquals("FULL", whole.transfer());
        assertEquals(1, whole.warnings().size(), whole.warnings().toString());
        assertTrue(
                whole.warnings().get(0).contains("nearly all of the tree new"),
                whole.warnings().toString());
        assertEquals(fullBackupSha256(), newest().sha256());

        TreeEdits.EDIT_CONTENT.apply(tree);
        ExecutionInfo small = p.client.run(target);

        assertEquals(Outcome.STORED, small.outcome(), small.error());
        assertEquals("DELTA", small.transfer(), small.warnings().toString());
        assertEquals(fullBackupSha256(), newest().sha256());
    }

    @Test
    void linksHolesAttributesAndSubsecondTimesTravelAsADeltaAndGiveTheArchiveAFullBackupWould() throws Exception {
        FidelityTrees.assumeXattrs(dir);
        Files.delete(tree.resolve("dangling")); // our restore refuses a symlink out of the target
        Path fidelity = FidelityTrees.build(tree, true);
        ExecutionInfo first = firstRunStored();
        Files.createLink(fidelity.resolve("zz-link"), fidelity.resolve("data/first.bin"));
        FidelityTrees.setNanos(fidelity.resolve("plain.txt"), 1_700_000_000L, 42);
        FidelityTrees.setXattr(fidelity.resolve("plain.txt"), "user.added", "later");
        FidelityTrees.sparse(fidelity.resolve("sparse/big.img"), FidelityTrees.BIG_SPARSE, new long[] {6L << 20});

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals(List.of(), second.warnings(), "no fallback");
        assertEquals("DELTA", second.transfer());
        ArchiveInfo archive = newest();
        assertEquals(fullBackupSha256(), archive.sha256(), "byte-identical to a full backup");
        assertTrue(
                second.bytesReceived() * 10 < first.bytesReceived(),
                "a delta: " + second.bytesReceived() + " bytes against " + first.bytesReceived() + " for the full");
        FileInfo link = p.client.files(archive.id()).stream()
                .filter(f -> f.path().equals("fidelity/zz-link"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                new FileInfo(
                        "fidelity/zz-link",
                        "file",
                        0,
                        link.mode(),
                        link.mtime(),
                        null,
                        null,
                        "fidelity/data/first.bin"),
                link);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        p.client.fetchFile(archive.id(), "fidelity/zz-link", content);
        assertEquals(Files.readString(fidelity.resolve("data/first.bin")), content.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream sparse = new ByteArrayOutputStream();
        p.client.fetchFile(archive.id(), "fidelity/sparse/big.img", sparse);
        assertEquals(FidelityTrees.BIG_SPARSE, sparse.size());
        Path out = Files.createDirectory(dir.resolve("out"));
        try (java.io.InputStream in = Files.newInputStream(Path.of(archive.file()))) {
            new SafeExtractor(ExtractHooks.NONE).extract(in, out.resolve("restored"));
        }
        FidelityTrees.assertKept(fidelity, out.resolve("restored/fidelity"), true);
    }

    @Test
    void aServerKilledInTheMiddleOfASynthesisKeepsThePreviousArchivesAndLeavesNoOrphan() throws Exception {
        Path crashed = dir.resolve("crashed");
        AtomicBoolean copied = new AtomicBoolean();
        p.hooks = new RunHooks() {
            @Override
            public void synthesizing(long targetId, long entries) {
                if (entries == 40 && copied.compareAndSet(false, true)) {
                    copyTree(p.dataDir, crashed.resolve("data")); // what kill -9 here would leave on disk
                }
            }
        };
        firstRunStored();
        ArchiveInfo before = newest();
        Files.writeString(tree.resolve("bulk/d5/f59.bin"), "late change\n");
        assertEquals("DELTA", p.client.run(target).transfer());
        assertTrue(copied.get(), "the hook ran mid-synthesis");
        p.stopServer();

        try (Pipeline restarted = new Pipeline(crashed)) {
            restarted.startServer();
            List<ArchiveInfo> archives = restarted.client.backups(target);
            assertEquals(
                    List.of(before.id()), archives.stream().map(ArchiveInfo::id).toList());
            ExecutionInfo interrupted = restarted.client.log(null, 1).get(0);
            assertEquals(Outcome.FAILED, interrupted.outcome());
            assertEquals("interrupted by server restart", interrupted.error());
            Path kept = Path.of(archives.get(0).file());
            assertEquals(before.sha256(), Trees.sha256(kept));
            try (Stream<Path> files = Files.list(kept.getParent())) {
                assertEquals(
                        java.util.Set.of(before.id() + ".tgz", before.id() + ".idx"),
                        files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                        "the synthesis's temp files and the delta are swept");
            }
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!f.getFileName().toString().equals("server.lock")) {
                    Files.copy(f, target);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anAgentThatLostItsStateSendsInFullAndSaysWhy() throws Exception {
        firstRunStored();
        int port = p.agentPort();
        p.agent.close();
        try (Stream<Path> files = Files.list(dir.resolve("agent-state"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("delivered-"))
                    .toList()) {
                Files.delete(f);
            }
        }
        p.startAgent(port);
        TreeEdits.EDIT_CONTENT.apply(tree);

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals(1, second.warnings().size(), second.warnings().toString());
        assertTrue(
                second.warnings().get(0).contains("holds no manifest"),
                second.warnings().get(0));
        assertEquals("FULL", second.transfer());
        assertEquals(fullBackupSha256(), newest().sha256());
    }

    @Test
    void aBaseMarkedCorruptByVerifyMakesAFullTransfer() throws Exception {
        firstRunStored();
        Trees.flipByte(Path.of(newest().file()));
        p.client.verify(newest().id(), null, false);
        assertTrue(newest().corrupt());
        TreeEdits.ADD_FILE.apply(tree);

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals("FULL", second.transfer());
        assertTrue(
                second.warnings().get(0).contains("marked corrupt"),
                second.warnings().toString());
        assertEquals(fullBackupSha256(), newest().sha256());
        assertRestoresTheTree(newest());
    }

    @Test
    void aBaseWhoseFileIsMissingMakesAFullTransfer() throws Exception {
        firstRunStored();
        Files.delete(Path.of(newest().file()));
        TreeEdits.ADD_FILE.apply(tree);

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertEquals("FULL", second.transfer());
        assertTrue(
                second.warnings().get(0).contains("missing its file"),
                second.warnings().toString());
        assertEquals(fullBackupSha256(), newest().sha256());
    }

    @Test
    void aBaseWithoutItsIndexFileMakesAFullTransfer() throws Exception {
        firstRunStored();
        Path archive = Path.of(newest().file());
        Files.delete(archive.resolveSibling(archive.getFileName().toString().replace(".tgz", ".idx")));
        TreeEdits.ADD_FILE.apply(tree);

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertTrue(
                second.warnings().get(0).contains("cannot be a base"),
                second.warnings().toString());
        assertEquals("FULL", second.transfer());
        assertEquals(fullBackupSha256(), newest().sha256());
        assertRestoresTheTree(newest());
    }

    @Test
    void aDamagedBaseMakesTheDeltaFailAndTheSameRunSendsInFull() throws Exception {
        ExecutionInfo first = firstRunStored();
        Trees.flipByte(Path.of(newest().file()));
        Files.writeString(tree.resolve("bulk/d0/f0.bin"), "replaced\n");

        ExecutionInfo second = p.client.run(target);

        assertEquals(Outcome.STORED, second.outcome(), second.error());
        assertTrue(
                second.warnings().get(0).contains("did not apply"),
                second.warnings().toString());
        assertEquals("FULL", second.transfer());
        assertEquals(fullBackupSha256(), newest().sha256());
        assertRestoresTheTree(newest());
        assertTrue(
                second.bytesReceived() > first.bytesReceived() / 2,
                "bytesReceived counts the delta and the full archive: " + second.bytesReceived());
    }
}
