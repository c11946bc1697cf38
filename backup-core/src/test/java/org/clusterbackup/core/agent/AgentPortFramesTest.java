package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RestoreEnd;
import org.clusterbackup.core.server.TestPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's port serves only the data plane: anything else, or restore frames outside a restore, is refused. */
class AgentPortFramesTest {
    @TempDir
    Path dir;

    private BackupAgent agent;
    private BlockingConnection connection;

    @BeforeEach
    void start() throws IOException {
        Path source = Files.createDirectories(dir.resolve("src"));
        agent = BackupAgent.start(TestPeers.trusting(
                new AgentSettings(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(source),
                        dir.resolve("state"),
                        ArchiveOptions.defaults(),
                        List.of()),
                dir.resolve("server-data")));
        connection = TestPeers.dialAgent(
                agent,
                dir.resolve("server-data"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                ProtocolLimits.DEFAULT);
    }

    @AfterEach
    void stop() {
        connection.close();
        agent.close();
    }

    @Test
    void aControlPlaneRequestIsRefusedNamingIt() throws Exception {
        assertRefused(new ListRequest(), "ListRequest");
    }

    @Test
    void restoreDataOutsideARestoreIsRefused() throws Exception {
        assertRefused(new Data(new byte[] {1, 2, 3}), "Data");
    }

    @Test
    void aRestoreEndOutsideARestoreIsRefused() throws Exception {
        assertRefused(new RestoreEnd(), "RestoreEnd");
    }

    private void assertRefused(Message m, String name) throws IOException {
        connection.send(m);
        ErrorReply refused = assertInstanceOf(ErrorReply.class, connection.receive());
        assertEquals(ErrorCode.PROTOCOL, refused.code());
        assertTrue(refused.message().contains("does not serve " + name), refused.message());
    }
}
