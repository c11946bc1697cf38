package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.server.TestPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 2: a server that stops reading a backup stream keeps the root's lock no longer than the
 * send timeout, and a backup never waits for a root's lock without a deadline.
 */
class RootLockTest {
    @TempDir
    Path dir;

    private Path root;
    private BackupAgent agent;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(dir.resolve("srv"));
        byte[] noise = new byte[16 * 1024 * 1024];
        new Random(2).nextBytes(noise); // incompressible: far more than socket buffers and the outbox hold
        Files.write(root.resolve("big.bin"), noise);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private InetSocketAddress start(AgentSettings settings) throws IOException {
        agent = BackupAgent.start(TestPeers.trusting(settings, dir.resolve("server-data")));
        return agent.address();
    }

    private AgentSettings settings() {
        return new AgentSettings(
                new InetSocketAddress("127.0.0.1", 0),
                List.of(root),
                dir.resolve("state"),
                ArchiveOptions.defaults(),
                List.of());
    }

    private BlockingConnection server(InetSocketAddress address) throws IOException {
        return TestPeers.dialAgent(
                address,
                agent.fingerprint(),
                dir.resolve("server-data"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                ProtocolLimits.DEFAULT);
    }

    /** The first message other than the agent's scan progress. */
    private static Message answer(BlockingConnection c) throws IOException {
        Message m;
        do {
            m = c.receive();
        } while (m instanceof org.clusterbackup.core.protocol.ScanProgress);
        return m;
    }

    @Test
    void aBackupWaitingForABusyRootIsRefusedAtTheLockDeadline() throws Exception {
        InetSocketAddress address = start(settings().withLockTimeout(Duration.ofMillis(200)));
        try (BlockingConnection stalled = server(address);
                BlockingConnection second = server(address)) {
            stalled.send(new BackupRequest(root.toString(), null, null));
            assertInstanceOf(ArchiveBegin.class, answer(stalled)); // ... and reads no more: the agent blocks
            second.send(new BackupRequest(root.toString(), null, null));
            ErrorReply busy = assertInstanceOf(
                    ErrorReply.class, assertTimeoutPreemptively(Duration.ofSeconds(60), () -> answer(second)));
            assertEquals(ErrorCode.BUSY, busy.code());
        }
    }

    @Test
    void aServerThatStopsReadingLosesTheRootAtTheSendTimeout() throws Exception {
        InetSocketAddress address = start(settings().withSendTimeout(Duration.ofMillis(300)));
        try (BlockingConnection stalled = server(address);
                BlockingConnection next = server(address)) {
            stalled.send(new BackupRequest(root.toString(), null, null));
            assertInstanceOf(ArchiveBegin.class, answer(stalled));
            next.send(new BackupRequest(root.toString(), null, null));
            assertInstanceOf(
                    ArchiveBegin.class,
                    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> answer(next)),
                    "the root stayed locked by a server that reads nothing");
        }
    }
}
