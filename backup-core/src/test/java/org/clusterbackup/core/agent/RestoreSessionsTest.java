package org.clusterbackup.core.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RestoreBegin;
import org.clusterbackup.core.protocol.RestoreReady;
import org.clusterbackup.core.server.TestPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that opens restores and never finishes them, on one connection or many, holds at most the agent's
 * cap of restores, each for at most its idle timeout: never a thread or a staging directory more.
 */
class RestoreSessionsTest {
    private static final String SHA = "0".repeat(64);

    @TempDir
    Path dir;

    private BackupAgent agent;
    private final List<BlockingConnection> connections = new ArrayList<>();

    @AfterEach
    void close() {
        connections.forEach(BlockingConnection::close);
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aSecondRestoreBeginOnOneConnectionIsRefusedAndClosesIt() throws Exception {
        Path restores = start(RestoreSettings.DEFAULT);
        BlockingConnection c = connect();
        c.send(new RestoreBegin(restores + "/one", 100, SHA));
        c.expect(RestoreReady.class);

        c.send(new RestoreBegin(restores + "/two", 100, SHA));

        ErrorReply refused = assertInstanceOf(ErrorReply.class, c.receive());
        assertEquals(ErrorCode.PROTOCOL, refused.code());
        assertThrows(EOFException.class, c::receive);
        awaitEmpty(restores);
    }

    @Test
    void restoresBeyondTheAgentsCapAreAnsweredBusy() throws Exception {
        Path restores = start(RestoreSettings.DEFAULT.withMaxConcurrent(2));
        for (int i = 0; i < 2; i++) {
            BlockingConnection c = connect();
            c.send(new RestoreBegin(restores + "/r" + i, 100, SHA));
            c.expect(RestoreReady.class);
        }

        BlockingConnection third = connect();
        third.send(new RestoreBegin(restores + "/r2", 100, SHA));

        ErrorReply busy = assertInstanceOf(ErrorReply.class, third.receive());
        assertEquals(ErrorCode.BUSY, busy.code());
        // Each staging directory is made by its restore's own thread, which may still be starting: wait for two.
        await().atMost(Duration.ofSeconds(10)).until(() -> count(restores) == 2);
        assertEquals(2, count(restores), "two staging directories, no more");
    }

    @Test
    void aRestoreThatReceivesNoDataIsAbandonedAndFreesItsSlot() throws Exception {
        Path restores = start(RestoreSettings.DEFAULT.withMaxConcurrent(1).withIdleTimeout(Duration.ofMillis(300)));
        BlockingConnection silent = connect();
        silent.send(new RestoreBegin(restores + "/silent", 100, SHA));
        silent.expect(RestoreReady.class);

        awaitEmpty(restores); // its staging directory is removed once the idle timeout passes

        // Its slot is given back as its thread ends, just after the clean-up: ask until it is (up to 10 s).
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Message answer;
        do {
            BlockingConnection next = connect();
            next.send(new RestoreBegin(restores + "/next", 100, SHA));
            answer = next.receive();
            if (answer instanceof ErrorReply) {
                // A refused connection is closed at once, so the asking never runs into the agent's
                // per-address connection cap.
                connections.remove(next);
                next.close();
            }
        } while (answer instanceof ErrorReply e && e.code() == ErrorCode.BUSY && System.nanoTime() < deadline);
        assertInstanceOf(RestoreReady.class, answer, "the slot is free again: " + answer);
    }

    private Path start(RestoreSettings restore) throws IOException {
        Path restores = Files.createDirectories(dir.resolve("restores"));
        Path source = Files.createDirectories(dir.resolve("src"));
        agent = BackupAgent.start(TestPeers.trusting(
                new AgentSettings(
                                new InetSocketAddress("127.0.0.1", 0),
                                List.of(source),
                                dir.resolve("state"),
                                ArchiveOptions.defaults(),
                                List.of(restores))
                        .withRestore(restore),
                dir.resolve("server-data")));
        return restores;
    }

    private BlockingConnection connect() throws IOException {
        BlockingConnection c = TestPeers.dialAgent(
                agent,
                dir.resolve("server-data"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                ProtocolLimits.DEFAULT);
        connections.add(c);
        return c;
    }

    /** Waits (up to 10 s) until {@code restores} holds nothing: a condition, not a guess at timing. */
    private static void awaitEmpty(Path restores) {
        await("what the abandoned restore wrote is removed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> count(restores) == 0);
    }

    private static long count(Path restores) throws IOException {
        try (Stream<Path> s = Files.list(restores)) {
            return s.count();
        }
    }
}
