package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers and agents hold each other to their pinned identities, on real sockets. */
class IdentityPinningTest {
    @TempDir
    Path dir;

    Pipeline p;
    Path tree;
    Path restoreRoot;
    TargetSelector target;
    BackupServer stranger;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
        restoreRoot = Files.createDirectories(dir.resolve("restores"));
        p.restoreRoots = List.of(restoreRoot);
        p.start();
        tree = Trees.sample(p.source);
        Files.delete(tree.resolve("dangling")); // restores refuse links out of their target
        target = p.register(tree);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (stranger != null) {
            stranger.close();
        }
        p.close();
    }

    private BackupClient clientOf(BackupServer server) throws IOException {
        return Pipeline.adminOf(server);
    }

    @Test
    void theFirstContactPinsTheAgentsIdentity() throws Exception {
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        try (SecurityCatalog security = SecurityCatalog.open(p.dataDir, Clock.systemUTC())) {
            assertEquals(
                    p.agent.fingerprint().value(),
                    security.agentPin("127.0.0.2", p.agentPort()).orElseThrow());
        }
    }

    @Test
    void aChangedAgentIdentityFailsTheRunAsIdentityAndIsNotRetriedAsUnreachable() throws Exception {
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        String before = p.agent.fingerprint().value();
        int port = p.agentPort();
        p.agent.close();
        Files.delete(dir.resolve("agent-state").resolve(Identity.FILE_NAME));
        p.startAgent(port);
        String after = p.agent.fingerprint().value();
        assertNotEquals(before, after);

        ExecutionInfo run = p.client.run(target);
        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(run.error().contains("agent identity changed: expected " + before + ", got " + after), run.error());
        assertEquals(0, run.bytesReceived());
        assertEquals(FailureKind.IDENTITY, run.failureKind(), "the run says why, so it can stand out");
        TargetInfo listed = p.client.list().get(0);
        assertEquals(TargetState.SCHEDULED, listed.state(), "not RETRYING: the node answered");
        assertEquals(FailureKind.IDENTITY, listed.lastFailureKind(), "list shows why the last run failed");
        assertEquals(FailureKind.IDENTITY, p.client.log(target, 1).get(0).failureKind());
        assertEquals(1, p.client.backups(target).size(), "nothing new stored");

        p.client.trust("127.0.0.2", port, after);
        assertNotEquals(Outcome.FAILED, p.client.run(target).outcome(), "pinned anew by an operator, it runs again");
        assertNull(p.client.list().get(0).lastFailureKind(), "a later success clears it");
    }

    @Test
    void aPinChangedWhileTheSessionIsCachedStillFailsTheRunAsIdentity() throws Exception {
        assertEquals(Outcome.STORED, p.client.run(target).outcome()); // pins the agent; its session is cached
        String other = Identity.loadOrCreate(dir.resolve("other"), "other")
                .fingerprint()
                .value();
        p.client.trust("127.0.0.2", p.agentPort(), other);

        // The next connection resumes (no certificate in the handshake): the session's certificate is checked.
        ExecutionInfo run = p.client.run(target);
        assertEquals(Outcome.FAILED, run.outcome());
        assertEquals(FailureKind.IDENTITY, run.failureKind());
        assertTrue(
                run.error().contains("agent identity changed: expected " + other + ", got " + p.agent.fingerprint()),
                run.error());
        assertEquals(0, run.bytesReceived());
    }

    @Test
    void anAgentRestartedToTrustAnotherServerRefusesThisOnesSession() throws Exception {
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        int port = p.agentPort();
        p.agent.close();
        Path elsewhere = dir.resolve("another-server");
        p.agent = BackupAgent.start(new AgentSettings(
                        new InetSocketAddress("127.0.0.2", port),
                        List.of(p.source),
                        dir.resolve("agent-state"),
                        p.archive,
                        p.restoreRoots)
                .withTrustedServers(List.of(BackupServer.identityOf(elsewhere))));

        ExecutionInfo run = p.client.run(target);
        assertEquals(Outcome.FAILED, run.outcome());
        assertEquals(FailureKind.IDENTITY, run.failureKind());
        assertTrue(run.error().contains("refused this server's identity"), run.error());
        assertEquals(0, run.bytesReceived());
    }

    @Test
    void neitherDaemonStartsWithAnIdentityFileOthersMayRead() throws Exception {
        p.stopServer();
        int port = p.agentPort();
        p.agent.close();
        Path serverKey = p.dataDir.resolve(Identity.FILE_NAME);
        Path agentKey = dir.resolve("agent-state").resolve(Identity.FILE_NAME);
        Files.setPosixFilePermissions(serverKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(agentKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        IOException server = assertThrows(IOException.class, () -> p.startServer());
        assertTrue(
                server.getMessage().contains("identity file " + serverKey + " is accessible by group or others"),
                server.getMessage());
        Files.setPosixFilePermissions(serverKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        IOException agent = assertThrows(IOException.class, () -> p.startAgent(port));
        assertTrue(agent.getMessage().contains("chmod 600 " + agentKey), agent.getMessage());
        p.agent = null;
    }

    /** A second server, with its own identity and a copy of the first one's catalog and archives. */
    private BackupServer startStranger() throws IOException {
        p.stopServer();
        Path copy = dir.resolve("stranger-data");
        try (Stream<Path> files = Files.walk(p.dataDir)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(p.dataDir.relativize(f).toString());
                String name = f.getFileName().toString();
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!name.equals(Identity.FILE_NAME) && !name.startsWith(SecurityCatalog.FILE_NAME)) {
                    Files.copy(f, to);
                }
            }
        }
        stranger = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), copy).withFirstRunDelay(Duration.ofHours(1)),
                Clock.systemUTC());
        return stranger;
    }

    @Test
    void aServerTheAgentDoesNotTrustCannotPullAByte() throws Exception {
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        Files.writeString(tree.resolve("new.txt"), "changed since\n");
        BackupClient other = clientOf(startStranger());
        ExecutionInfo run = other.run(target);
        assertEquals(Outcome.FAILED, run.outcome());
        assertTrue(
                run.error().contains("refused this server's identity (" + stranger.fingerprint() + ")"), run.error());
        assertTrue(run.error().contains("--trust-server " + stranger.fingerprint()), run.error());
        assertEquals(0, run.bytesReceived());
        assertEquals(1, other.backups(target).size());
    }

    @Test
    void aServerTheAgentDoesNotTrustCannotRestore() throws Exception {
        assertEquals(Outcome.STORED, p.client.run(target).outcome());
        ArchiveInfo archive = p.client.backups(target).get(0);
        BackupClient other = clientOf(startStranger());
        Path into = restoreRoot.resolve("copy");
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class, () -> other.restore(archive.id(), null, null, into.toString()));
        assertTrue(e.getMessage().contains("refused this server's identity"), e.getMessage());
        assertTrue(Files.notExists(into));
    }
}
