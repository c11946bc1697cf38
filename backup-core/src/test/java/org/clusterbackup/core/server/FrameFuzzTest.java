package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.BackupsRequest;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.FetchRequest;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.LogRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RestoreBegin;
import org.clusterbackup.core.protocol.RestoreEnd;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.core.protocol.UnregisterRequest;
import org.clusterbackup.core.protocol.VerifyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: thousands of mutated valid frames per plane (seeded; {@code -Pfuzz} runs many more) leave the
 * listener serving. The control corpus holds no register, run or restore: a mutated one must never make
 * the server dial a node name the mutation invented (only loopback is used in tests).
 */
class FrameFuzzTest {
    @TempDir
    Path dir;

    private static final TargetSelector SELECTOR = new TargetSelector("127.0.0.2", "/srv/app", 7071);

    @Test
    void theControlPortSurvivesMutatedFramesAndStillAnswers() throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            p.startServer();
            List<Message> valid = List.of(
                    new ListRequest(),
                    new LogRequest(SELECTOR, 10),
                    new LogRequest(null, 0),
                    new BackupsRequest(SELECTOR),
                    new UnregisterRequest(SELECTOR),
                    new FetchRequest(1),
                    new VerifyRequest(null, null, true),
                    KeepAlive.INSTANCE,
                    new Data(new byte[300]));
            FrameFuzzer fuzzer = new FrameFuzzer(
                    FrameFuzzer.seed(),
                    new Hello(ProtocolLimits.PROTOCOL_VERSION, "cli", TestPeers.adminToken(p.server)),
                    valid,
                    TestPeers.asClient(p.server));
            fuzzer.run(p.server.address(), FrameFuzzer.frames());
            assertTrue(fuzzer.bytesReceived() > 0, "the listener never answered");
            try (BlockingConnection c = TestPeers.dialServer(
                    p.server, "cli", Duration.ofSeconds(2), Duration.ofSeconds(30), ProtocolLimits.DEFAULT)) {
                c.send(new ListRequest());
                assertInstanceOf(TargetPage.class, c.receive());
            }
        }
    }

    @Test
    void theAgentSurvivesMutatedFramesAndStillServesABackup() throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            Files.writeString(p.source.resolve("a.txt"), "fuzz\n");
            p.startAgent();
            String path = p.source.toString();
            List<Message> valid = List.of(
                    new BackupRequest(path, null, null),
                    new BackupRequest(path, "ab".repeat(32), 6),
                    new BackupRequest("/etc", null, null),
                    new RestoreBegin(dir.resolve("r").toString(), 10, "cd".repeat(32)),
                    new Data(new byte[1000]),
                    new RestoreEnd(),
                    KeepAlive.INSTANCE);
            FrameFuzzer fuzzer = new FrameFuzzer(
                    FrameFuzzer.seed(),
                    new Hello(ProtocolLimits.PROTOCOL_VERSION, "server"),
                    valid,
                    TestPeers.asServer(p.dataDir, p.agent.fingerprint()));
            fuzzer.run(p.agent.address(), FrameFuzzer.frames());
            assertTrue(fuzzer.bytesReceived() > 0, "the agent never answered");
            try (BlockingConnection c = TestPeers.dialAgent(
                    p.agent, p.dataDir, Duration.ofSeconds(2), Duration.ofSeconds(30), ProtocolLimits.DEFAULT)) {
                c.send(new BackupRequest(path, null, null));
                assertInstanceOf(ArchiveBegin.class, c.receive());
            }
        }
    }
}
