package org.clusterbackup.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.index.SegmentedWire;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.TlsSettings;
import org.clusterbackup.core.net.TransportConfig;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;

/**
 * An agent on loopback that answers every backup request with the messages a test scripted: a segmented
 * archive made by the test producer, or one bent to lie in a chosen way.
 */
final class FakeAgent implements AutoCloseable {
    private final NioServer listener;
    volatile Function<BackupRequest, List<Message>> answer;
    /**
     * When true, an {@code Error} in an answer is sent as the agent's transport sends the ones it closes the
     * connection after (a busy listener, a protocol error): the connection is closed once it is written.
     */
    volatile boolean hangUpAfterError;
    /** Connections greeted, and connections closed (by either side). */
    final AtomicInteger accepted = new AtomicInteger();

    final AtomicInteger closed = new AtomicInteger();

    /** Serves, over TLS as a real agent does, the server whose data dir is {@code serverDataDir}. */
    FakeAgent(Path stateDir, Path serverDataDir, Function<BackupRequest, List<Message>> answer) throws IOException {
        this(stateDir, serverDataDir, answer, null);
    }

    /** As above, closing a connection silent for {@code idleTimeout} (null: the listener's default). */
    FakeAgent(Path stateDir, Path serverDataDir, Function<BackupRequest, List<Message>> answer, Duration idleTimeout)
            throws IOException {
        this(stateDir, serverDataDir, answer, idleTimeout, 0);
    }

    /** As above, on {@code port} of 127.0.0.3 (0: one the kernel picks), e.g. the port of one closed before. */
    FakeAgent(
            Path stateDir,
            Path serverDataDir,
            Function<BackupRequest, List<Message>> answer,
            Duration idleTimeout,
            int port)
            throws IOException {
        this.answer = answer;
        TlsSettings tls = TestPeers.agentTls(stateDir, serverDataDir);
        TransportConfig transport = TransportConfig.of(
                        new InetSocketAddress("127.0.0.3", port), "agent", BackupAgent.DATA_ROLES)
                .withTls(tls);
        if (idleTimeout != null) {
            transport = transport.withTimeouts(idleTimeout, idleTimeout.dividedBy(4));
        }
        listener = NioServer.start(transport, connection -> {
            accepted.incrementAndGet();
            return new org.clusterbackup.core.net.ConnectionHandler() {
                @Override
                public void onMessage(Message message) throws Exception {
                    if (message instanceof BackupRequest r) {
                        for (Message m : FakeAgent.this.answer.apply(r)) {
                            if (hangUpAfterError && m instanceof ErrorReply error) {
                                connection.fail(error);
                                return;
                            }
                            connection.send(m);
                        }
                    }
                }

                @Override
                public void onClose() {
                    closed.incrementAndGet();
                }
            };
        });
    }

    int port() {
        return listener.address().getPort();
    }

    String node() {
        return "127.0.0.3";
    }

    /** A whole, honest answer: ArchiveBegin, the segmented archive of this tar stream, and its ArchiveEnd. */
    static List<Message> archive(byte[] tar, int segmentSize) {
        return archive(SegmentedWire.wire(tar, segmentSize, 64 * 1024));
    }

    static List<Message> archive(List<Message> wire) {
        byte[] tgz = SegmentedWire.tgz(wire);
        List<Message> all = new ArrayList<>();
        all.add(new ArchiveBegin(1));
        all.addAll(wire);
        all.add(new ArchiveEnd(tgz.length, sha256(tgz), "cd".repeat(32), 1, List.of()));
        return all;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
