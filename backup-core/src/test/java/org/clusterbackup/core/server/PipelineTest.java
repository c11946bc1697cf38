package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
    @TempDir
    Path dir;

    Pipeline p;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    @Test
    void firstRunStoresAnArchiveThatGnuTarExtractsToTheSameTree() throws Exception {
        p.start();
        Path tree = Trees.sample(p.source);
        TargetSelector target = p.register(tree);

        ExecutionInfo run = p.client.run(target);

        assertEquals(Outcome.STORED, run.outcome(), run.error());
        assertNotNull(run.archiveId());
        assertNotNull(run.finishedAt());
        ArchiveInfo archive = p.client.backups(target).get(0);
        assertEquals(run.archiveId(), archive.id());
        assertTrue(run.bytesReceived() > archive.sizeBytes(), "bytesReceived counts frames too");
        Path file = Path.of(archive.file());
        assertEquals(archive.sizeBytes(), Files.size(file));
        GnuTar.gzipTest(file);
        Path out = Files.createDirectory(dir.resolve("restored"));
        GnuTar.extract(file, out);
        assertEquals(Trees.describe(tree), Trees.describe(out));
        assertEquals(Trees.sha256(file), archive.sha256());
    }

    @Test
    void anUnchangedTreeIsConfirmedWithoutAnArchive() throws Exception {
        p.start();
        Path tree = Trees.sample(p.source);
        TargetSelector target = p.register(tree);
        ExecutionInfo first = p.client.run(target);
        ExecutionInfo second = p.client.run(target);
        assertEquals(Outcome.UNCHANGED, second.outcome(), second.error());
        assertEquals(first.archiveId(), second.archiveId());
        assertTrue(second.bytesReceived() < 1024, "bytes on the wire: " + second.bytesReceived());
        assertEquals(1, p.client.backups(target).size());
    }

    @Test
    void thirteenStoredRunsKeepTheNewestTenFilesAndLogAll() throws Exception {
        p.start();
        Path tree = Files.createDirectories(p.source.resolve("app"));
        TargetSelector target = p.register(tree);
        for (int i = 0; i < 13; i++) {
            Trees.write(tree, "counter.txt", "run " + i + "\n");
            assertEquals(Outcome.STORED, p.client.run(target).outcome());
        }
        List<ArchiveInfo> backups = p.client.backups(target);
        assertEquals(13, backups.size());
        assertEquals(10, backups.stream().filter(ArchiveInfo::stored).count());
        List<ArchiveInfo> pruned = backups.stream().filter(a -> !a.stored()).toList();
        assertEquals(3, pruned.size());
        pruned.forEach(a -> assertNull(a.file()));
        assertTrue(backups.get(0).id() > backups.get(12).id(), "newest first");
        assertEquals(
                List.of(
                        backups.get(12).id(),
                        backups.get(11).id(),
                        backups.get(10).id()),
                pruned.stream().map(ArchiveInfo::id).sorted().toList(),
                "the oldest three are pruned");
        long targetId = p.client.log(target, 1).get(0).targetId();
        java.util.Set<String> expected = new java.util.TreeSet<>();
        backups.stream()
                .filter(ArchiveInfo::stored)
                .forEach(a -> expected.addAll(List.of(a.id() + ".tgz", a.id() + ".idx")));
        try (Stream<Path> files = Files.list(p.dataDir.resolve("archives").resolve(Long.toString(targetId)))) {
            assertEquals(
                    expected,
                    files.map(f -> f.getFileName().toString())
                            .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
                    "the ten kept archives, each with its index, and nothing else");
        }
        assertEquals(13, p.client.log(target, 0).size());
    }

    @Test
    void anAgentCutOffMidTransferFailsTheRunAndLeavesNothing() throws Exception {
        AtomicBoolean cut = new AtomicBoolean();
        p.hooks = new RunHooks() {
            @Override
            public void afterData(long targetId, long received) {
                if (cut.compareAndSet(false, true)) {
                    p.agent.close(); // like kill -9: every connection of the agent drops
                }
            }
        };
        p.start();
        Path tree = Files.createDirectories(p.source.resolve("big"));
        byte[] noise = new byte[4 << 20];
        new Random(5).nextBytes(noise);
        Files.write(tree.resolve("noise.bin"), noise);
        TargetSelector target = p.register(tree);

        ExecutionInfo run = p.client.run(target);

        assertTrue(cut.get());
        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("broke"), run.error());
        assertNull(run.archiveId());
        assertTrue(p.client.backups(target).isEmpty());
        assertNoFilesUnder(p.dataDir.resolve("archives"));
    }

    @Test
    void aSecondRunRequestJoinsTheRunInProgress() throws Exception {
        CountDownLatch inTransfer = new CountDownLatch(1);
        CountDownLatch joined = new CountDownLatch(1);
        p.hooks = new RunHooks() {
            @Override
            public void afterData(long targetId, long received) {
                inTransfer.countDown();
                await(joined); // hold the first run mid-transfer until the second request has joined it
            }

            @Override
            public void joined(long targetId) {
                joined.countDown();
            }
        };
        p.start();
        Path tree = Files.createDirectories(p.source.resolve("app"));
        Trees.write(tree, "data.txt", "some content\n");
        TargetSelector target = p.register(tree);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<ExecutionInfo> first = clients.submit(() -> p.client.run(target));
            await(inTransfer);
            Future<ExecutionInfo> second = clients.submit(() -> p.client.run(target));
            assertEquals(Outcome.STORED, first.get(30, TimeUnit.SECONDS).outcome());
            assertEquals(first.get().id(), second.get(30, TimeUnit.SECONDS).id());
            assertEquals(1, p.client.log(target, 0).size());
        } finally {
            clients.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out waiting for the other side");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aPathOutsideTheAllowListFailsWithTheAgentsReason() throws Exception {
        p.start();
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        ExecutionInfo run = p.client.run(p.register(outside));
        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("outside the directories this agent may serve"), run.error());
        assertTrue(run.error().contains(outside.toString()), run.error());
    }

    @Test
    void aSymlinkLeadingOutOfTheAllowListIsRefused() throws Exception {
        p.start();
        Path outside = Files.createDirectories(dir.resolve("secret"));
        Path link = Files.createSymbolicLink(p.source.resolve("sneaky"), outside);
        ExecutionInfo run = p.client.run(p.register(link));
        assertEquals(Outcome.FAILED, run.outcome());
        assertFalse(run.error().contains(outside.toString()), "where the link leads is not said: " + run.error());
        assertTrue(run.error().contains(link + " does not exist on this node or is outside"), run.error());
    }

    @Test
    void aMissingPathOutsideTheAllowListReadsTheSameAsAnExistingOne() throws Exception {
        p.start();
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        String exists = p.client.run(p.register(outside)).error();
        String missing = p.client.run(p.register(dir.resolve("elsewhere-not"))).error();
        assertEquals(exists.replace("elsewhere", "elsewhere-not"), missing);
    }

    @Test
    void aMissingPathIsRefusedNamingIt() throws Exception {
        p.start();
        ExecutionInfo run = p.client.run(p.register(p.source.resolve("not-there")));
        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("not-there") && run.error().contains("does not exist"), run.error());
    }

    @Test
    void aFifoAndAnUnreadableFileAreSkippedWithWarnings() throws Exception {
        Path tree = Files.createDirectories(p.source.resolve("app"));
        Trees.write(tree, "ok.txt", "fine\n");
        Path secret = Trees.write(tree, "secret.txt", "root can read anything; the seam says no\n");
        GnuTar.mkfifo(tree.resolve("pipe"));
        p.archive = p.archive.withOpener((file, safe) -> {
            if (file.getFileName().toString().equals("secret.txt")) {
                throw new AccessDeniedException(file.toString());
            }
            return safe.open();
        });
        p.start();

        TargetSelector target = p.register(tree);
        ExecutionInfo run = p.client.run(target);

        assertEquals(Outcome.STORED, run.outcome(), run.error());
        assertEquals(2, run.warnings().size(), run.warnings().toString());
        assertTrue(
                run.warnings().stream().anyMatch(w -> w.contains("pipe")),
                run.warnings().toString());
        assertTrue(
                run.warnings().stream().anyMatch(w -> w.contains("secret.txt")),
                run.warnings().toString());
        List<String> names = GnuTar.list(Path.of(p.client.backups(target).get(0).file()));
        assertTrue(names.contains("ok.txt"), names.toString());
        assertFalse(names.contains("secret.txt") || names.contains("pipe"), names.toString());
        assertTrue(Files.exists(secret));
    }

    @Test
    void aFullDiskFailsTheRunAndLeavesNoFile() throws Exception {
        p.disk = (file, offset, length) -> {
            if (offset > 0) {
                throw new IOException("No space left on device");
            }
        };
        p.start();
        Path tree = Files.createDirectories(p.source.resolve("big"));
        byte[] noise = new byte[1 << 20];
        new Random(9).nextBytes(noise);
        Files.write(tree.resolve("noise.bin"), noise);
        TargetSelector target = p.register(tree);

        ExecutionInfo run = p.client.run(target);

        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("No space left on device"), run.error());
        assertTrue(p.client.backups(target).isEmpty());
        assertNoFilesUnder(p.dataDir.resolve("archives"));
    }

    @Test
    void anUnreachableAgentFailsTheRunNamingIt() throws Exception {
        p.startServer();
        p.client.register("127.0.0.3", 9, "/srv/app", 3600); // port 9 (discard) has no listener here
        ExecutionInfo run = p.client.run(new TargetSelector("127.0.0.3", "/srv/app", null));
        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("cannot reach agent 127.0.0.3:9"), run.error());
        assertEquals(0, run.bytesReceived());
    }

    @Test
    void aRestartAfterACrashMidRunLogsItAndSweepsItsFiles() throws Exception {
        p.startServer();
        Path tree = Files.createDirectories(p.source.resolve("app"));
        p.client.register("127.0.0.2", 7071, tree.toString(), 3600);
        p.stopServer();
        // What a crash mid-transfer leaves: a RUNNING row, a temp file, and an archive file no row names.
        long targetId;
        long executionId;
        try (Catalog catalog = Catalog.open(p.dataDir.resolve("catalog.db"), Clock.systemUTC())) {
            Target t = catalog.activeTargets().get(0);
            targetId = t.id();
            executionId = catalog.startExecution(t, RunTrigger.SCHEDULE).id();
        }
        Path targetDir = Files.createDirectories(p.dataDir.resolve("archives").resolve(Long.toString(targetId)));
        Files.write(targetDir.resolve("execution-" + executionId + ".partial"), new byte[1000]);
        Files.write(targetDir.resolve("77.tgz"), new byte[1000]);

        p.startServer();

        ExecutionInfo interrupted = p.client.log(null, 1).get(0);
        assertEquals(executionId, interrupted.id());
        assertEquals(Outcome.FAILED, interrupted.outcome());
        assertEquals("interrupted by server restart", interrupted.error());
        assertNotNull(interrupted.finishedAt());
        assertNoFilesUnder(p.dataDir.resolve("archives"));
    }

    private static void assertNoFilesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> left = files.filter(Files::isRegularFile).toList();
            assertEquals(List.of(), left);
        }
    }
}
