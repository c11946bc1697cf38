package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterbackup.core.archive.ArchiveHooks;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.ManifestEntry;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** "Send nothing when nothing changed", over loopback with a real server and agent. */
class ChangeDetectionTest {
    @TempDir
    Path dir;

    Pipeline p;
    Path tree;
    TargetSelector target;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
        tree = Trees.sample(Files.createDirectories(dir.resolve("src")));
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

    @ParameterizedTest
    @EnumSource(TreeEdits.class)
    void everyKindOfChangeIsStored(TreeEdits edit) throws Exception {
        firstRunStored();
        edit.apply(tree);
        ExecutionInfo second = p.client.run(target);
        assertEquals(Outcome.STORED, second.outcome(), edit + ": " + second.error());
        Path out = Files.createDirectory(dir.resolve("out"));
        GnuTar.extract(Path.of(p.client.backups(target).get(0).file()), out);
        assertEquals(Trees.describe(tree), Trees.describe(out), edit + " is in the new archive");
    }

    @Test
    void touchAloneIsUnchangedAndCostsUnder1KiB() throws Exception {
        firstRunStored();
        Trees.shiftMtime(tree.resolve("top.txt"), 3600);
        Trees.shiftMtime(tree.resolve("a/b/c/deep.txt"), -3600);
        ExecutionInfo second = p.client.run(target);
        assertEquals(Outcome.UNCHANGED, second.outcome(), second.error());
        assertTrue(second.bytesReceived() < 1024, "bytes: " + second.bytesReceived());
    }

    @Test
    void anAgentWithAnEmptyStateDirStillAnswersUnchanged() throws Exception {
        ExecutionInfo first = firstRunStored();
        int port = p.agentPort();
        p.agent.close();
        // Every cache goes; the identity stays (without it the agent is another agent, refused as such).
        Path identity = dir.resolve("agent-state").resolve(org.clusterbackup.core.security.Identity.FILE_NAME);
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("agent-state"))) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .filter(f -> !f.equals(identity) && !f.equals(identity.getParent()))
                    .forEach(f -> f.toFile().delete());
        }
        try (java.util.stream.Stream<Path> left = Files.list(dir.resolve("agent-state"))) {
            assertEquals(java.util.List.of(identity), left.toList());
        }
        p.startAgent(port);
        ExecutionInfo unchanged = p.client.run(target);
        assertEquals(Outcome.UNCHANGED, unchanged.outcome(), unchanged.error());
        assertEquals(first.archiveId(), unchanged.archiveId());
    }

    @Test
    void aFileChangedBetweenScanAndReadIsArchivedAsReadAndTheNextRunIsRight() throws Exception {
        AtomicBoolean edited = new AtomicBoolean();
        p.archive = p.archive.withHooks(new ArchiveHooks() {
            @Override
            public void afterScan(org.clusterbackup.core.archive.TreeScan scan) {
                if (edited.compareAndSet(false, true)) {
                    write(tree.resolve("top.txt"), "edited after the scan\n");
                }
            }
        });
        firstRunStored();
        // The archive holds the edited file, so its digest must be the edited tree's: unchanged now.
        Path out = Files.createDirectory(dir.resolve("out"));
        GnuTar.extract(Path.of(p.client.backups(target).get(0).file()), out);
        assertEquals("edited after the scan\n", Files.readString(out.resolve("top.txt")));
        ExecutionInfo second = p.client.run(target);
        assertEquals(Outcome.UNCHANGED, second.outcome(), second.error());
        // And a change after that is seen.
        write(tree.resolve("top.txt"), "edited again\n");
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
    }

    @Test
    void aFileAppendedToDuringItsReadGivesAValidArchiveAndAWarning() throws Exception {
        Path log = tree.resolve("app.log");
        write(log, "x".repeat(3 << 20)); // over the buffered limit: streamed, read once
        AtomicBoolean appended = new AtomicBoolean();
        p.archive = p.archive.withHooks(new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry entry, long bytesSoFar) {
                if (entry.name().equals("app.log") && appended.compareAndSet(false, true)) {
                    try {
                        Files.writeString(log, "appended while being read\n", java.nio.file.StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        ExecutionInfo run = firstRunStored();
        assertTrue(appended.get());
        assertTrue(
                run.warnings().stream().anyMatch(w -> w.contains("app.log")),
                run.warnings().toString());
        ArchiveInfo archive = p.client.backups(target).get(0);
        Path file = Path.of(archive.file());
        GnuTar.gzipTest(file);
        List<String> listing = GnuTar.listVerbose(file);
        assertTrue(
                listing.stream().anyMatch(l -> l.contains(" " + (3 << 20) + " ") && l.endsWith("app.log")),
                "the entry keeps the size it had when its header was written: " + listing);
        ExecutionInfo logged = p.client.log(target, 1).get(0);
        assertEquals(run.warnings(), logged.warnings());
        // The moved file was not cached as trusted, so the next run sees the append.
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
    }

    @Test
    void aFileDeletedAfterTheScanIsSkippedWithAWarning() throws Exception {
        AtomicBoolean deleted = new AtomicBoolean();
        p.archive = p.archive.withHooks(new ArchiveHooks() {
            @Override
            public void afterScan(org.clusterbackup.core.archive.TreeScan scan) {
                if (deleted.compareAndSet(false, true)) {
                    try {
                        Files.delete(tree.resolve("empty.txt"));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        ExecutionInfo run = firstRunStored();
        assertTrue(
                run.warnings().stream().anyMatch(w -> w.contains("empty.txt")),
                run.warnings().toString());
        assertTrue(GnuTar.list(Path.of(p.client.backups(target).get(0).file())).stream()
                .noneMatch(n -> n.endsWith("empty.txt")));
        assertEquals(Outcome.UNCHANGED, p.client.run(target).outcome(), "the archive's digest is the tree without it");
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
