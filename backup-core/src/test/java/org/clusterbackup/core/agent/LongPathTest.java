package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.server.TestPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 3: an error never echoes a requested path in full, however long the path. */
class LongPathTest {
    @TempDir
    Path dir;

    /**
     * A path just under the request limit (a bigger frame is refused at its header, before any of it is
     * read: see {@code HostilePeerTest}) is refused with an error far shorter than the path.
     */
    @Test
    void aHugePathIsAnsweredWithAShortError() throws Exception {
        int length = 60_000;
        Path root = Files.createDirectories(dir.resolve("srv"));
        String path = "/outside/" + "x".repeat(length);
        try (BackupAgent agent = BackupAgent.start(TestPeers.trusting(
                        new AgentSettings(
                                new InetSocketAddress("127.0.0.1", 0),
                                List.of(root),
                                dir.resolve("state"),
                                ArchiveOptions.defaults(),
                                List.of()),
                        dir.resolve("server-data")));
                BlockingConnection server = TestPeers.dialAgent(
                        agent,
                        dir.resolve("server-data"),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(30),
                        ProtocolLimits.DEFAULT)) {
            server.send(new BackupRequest(path, null, null));
            ErrorReply error = assertInstanceOf(ErrorReply.class, server.receive());
            assertTrue(
                    error.message().length() <= ErrorReply.MAX_MESSAGE,
                    error.message().length() + " characters");
            assertFalse(error.message().contains(path), "the path was echoed in full");
            assertEquals(ErrorCode.REFUSED, error.code(), error.message());
        }
    }
}
