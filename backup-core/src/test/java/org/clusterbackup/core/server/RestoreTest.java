package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.clusterbackup.core.archive.FidelityTrees;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.RestoreReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backupctl restore's path: server streams a kept archive to an agent, which extracts it. */
class RestoreTest {
    @TempDir
    Path dir;

    Pipeline p;
    Path tree;
    Path restoreRoot;
    ArchiveInfo archive;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
        restoreRoot = Files.createDirectories(dir.resolve("restores"));
        p.restoreRoots = List.of(restoreRoot);
        p.start();
        tree = Trees.sample(p.source);
        // A restore refuses links that lead outside its target (see docs/CLI.md): the sample's dangling
        // "../nowhere" link would make the whole archive unrestorable, which another test shows.
        Files.delete(tree.resolve("dangling"));
        TargetSelector target = p.register(tree);
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        archive = p.client.backups(target).get(0);
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    @Test
    void aRestoreReproducesTheTreeExactly() throws Exception {
        Path into = restoreRoot.resolve("copy");
        RestoreReply r = p.client.restore(archive.id(), null, null, into.toString());
        assertEquals(archive.files(), r.files());
        assertEquals("127.0.0.2", r.node());
        assertEquals(p.agentPort(), r.port());
        assertEquals(Trees.describe(tree), Trees.describe(into));
    }

    @Test
    void aRestoreThroughTheAgentGivesBackLinksHolesAttributesAndNanoseconds() throws Exception {
        FidelityTrees.assumeXattrs(dir);
        Path fidelity = FidelityTrees.build(p.source, true);
        TargetSelector target = p.register(fidelity);
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        Path into = restoreRoot.resolve("fidelity");

        RestoreReply r = p.client.restore(p.client.backups(target).get(0).id(), null, null, into.toString());

        assertEquals(List.of(), r.warnings());
        FidelityTrees.assertKept(fidelity, into, true);
    }

    @Test
    void setuidBitsAreDroppedAndTheReplySaysSo() throws Exception {
        Path tool = Trees.write(p.source, "suid/tool", "#!/bin/sh\n");
        Trees.chmod(tool, 04755);
        TargetSelector target = p.register(p.source.resolve("suid"));
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        Path into = restoreRoot.resolve("suid");

        RestoreReply r = p.client.restore(p.client.backups(target).get(0).id(), null, null, into.toString());

        assertEquals(0755, (Integer) Files.getAttribute(into.resolve("tool"), "unix:mode") & 07777);
        assertEquals(
                List.of("setuid/setgid bits dropped from 1 entry (tool); the agent restores them only with"
                        + " --restore-setid"),
                r.warnings());
    }

    @Test
    void aNonEmptyTargetIsRefused() throws Exception {
        Path into = Files.createDirectories(restoreRoot.resolve("busy"));
        Files.writeString(into.resolve("keep.txt"), "mine\n");
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class, () -> p.client.restore(archive.id(), null, null, into.toString()));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(e.getMessage().contains(into.toString()), e.getMessage());
        assertEquals(List.of(into.resolve("keep.txt")), list(into));
    }

    @Test
    void aTargetOutsideEveryRestoreRootIsRefused() {
        Path outside = dir.resolve("elsewhere");
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class, () -> p.client.restore(archive.id(), null, null, outside.toString()));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(Files.notExists(outside));
    }

    @Test
    void anAgentWithoutRestoreRootsRefusesEveryRestore() throws Exception {
        p.agent.close();
        int port = p.agentPort();
        p.restoreRoots = List.of();
        p.startAgent(port);
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class,
                () -> p.client.restore(
                        archive.id(), null, null, restoreRoot.resolve("x").toString()));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(e.getMessage().contains("--restore-root"), e.getMessage());
    }

    @Test
    void aRestoreToANodeThatIsDownIsUnreachable() {
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class,
                () -> p.client.restore(
                        archive.id(), "127.0.0.3", 9, restoreRoot.resolve("x").toString()));
        assertEquals(ErrorCode.UNREACHABLE, e.code());
    }

    @Test
    void aRestoreCutOffMidwayLeavesNoPartialTree() throws Exception {
        // A big, incompressible archive, so the cut falls in the middle of the stream.
        Path big = Files.createDirectories(p.source.resolve("big"));
        byte[] noise = new byte[6 << 20];
        new java.util.Random(11).nextBytes(noise);
        Files.write(big.resolve("noise.bin"), noise);
        TargetSelector target = p.register(big);
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        ArchiveInfo bigArchive = p.client.backups(target).get(0);
        p.stopServer();
        AtomicBoolean cut = new AtomicBoolean();
        p.hooks = new RunHooks() {
            @Override
            public void afterRestoreData(long archiveId, long sent) {
                if (sent >= (1 << 20) && cut.compareAndSet(false, true)) {
                    p.agent.close(); // the node dies a megabyte into the restore
                }
            }
        };
        p.startServer();
        Path into = restoreRoot.resolve("cut");
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class, () -> p.client.restore(bigArchive.id(), null, null, into.toString()));
        assertTrue(cut.get());
        assertEquals(ErrorCode.FAILED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("broke off"), e.getMessage());
        awaitEmpty(restoreRoot);
        assertTrue(Files.notExists(into));
    }

    @Test
    void anArchiveWithALinkLeadingOutsideIsRefusedWhole() throws Exception {
        Path linked = Files.createDirectories(p.source.resolve("linked"));
        Files.writeString(linked.resolve("a.txt"), "a\n");
        Files.createSymbolicLink(linked.resolve("out"), Path.of("../../elsewhere"));
        TargetSelector target = p.register(linked);
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        long id = p.client.backups(target).get(0).id();
        Path into = restoreRoot.resolve("linked");
        RemoteErrorException e =
                assertThrows(RemoteErrorException.class, () -> p.client.restore(id, null, null, into.toString()));
        assertEquals(ErrorCode.REFUSED, e.code());
        assertTrue(e.getMessage().contains("out"), e.getMessage());
        assertTrue(list(restoreRoot).isEmpty());
    }

    @Test
    void anUnknownArchiveIsNotFound() {
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class,
                () -> p.client.restore(
                        31337, null, null, restoreRoot.resolve("x").toString()));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    /** The extractor cleans up on its own thread once its stream breaks; wait for that, with a deadline. */
    private static void awaitEmpty(Path d) {
        Awaitility.await("cleaned up")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertEquals(List.of(), list(d), "left behind"));
    }
}
