package org.clusterbackup.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.ScanProgress;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.security.DialCheck;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.PeerIdentityException;
import org.clusterbackup.core.security.Tls;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's side of the connections a server keeps open between runs (docs/PROTOCOL.md, "Connections kept
 * open"; docs/SECURITY.md, "Connections kept open"), with a real agent on loopback TLS and a server dialling
 * through one TLS context with the product's checks ({@link Tls#dialer}, {@link Tls#afterHandshake}), so its
 * later connections resume their sessions as the server's do.
 */
class AgentKeptConnectionsTest {
    @TempDir
    Path dir;

    private Path root;
    private Path trustFile;
    private Identity server;
    private BackupAgent agent;
    /** Certificate checks the dialling server made inside full handshakes: none in a resumed one. */
    private final AtomicInteger fullHandshakes = new AtomicInteger();

    private SSLContext tls;

    @BeforeEach
    void start() throws IOException {
        root = Trees.sample(Files.createDirectories(dir.resolve("src")));
        server = Identity.loadOrCreate(dir.resolve("server-data"), BackupServer.IDENTITY_NAME);
        trustFile = dir.resolve("trusted-servers");
        Files.writeString(trustFile, server.fingerprint() + "\n");
        agent = BackupAgent.start(new AgentSettings(
                        new InetSocketAddress("127.0.0.1", 0),
                        List.of(root),
                        dir.resolve("state"),
                        ArchiveOptions.defaults(),
                        List.of())
                .withTrustFile(trustFile));
        tls = Tls.dialer(server, pinned());
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    /** The agent's pin, counting the full handshakes it is checked in. */
    private DialCheck pinned() {
        return (host, port, presented) -> {
            fullHandshakes.incrementAndGet();
            requireAgent(presented);
        };
    }

    private void requireAgent(Fingerprint presented) throws PeerIdentityException {
        if (!presented.equals(agent.fingerprint())) {
            throw new PeerIdentityException("not the agent", presented);
        }
    }

    private BlockingConnection dial() throws IOException {
        int port = agent.address().getPort();
        return BlockingConnection.open(
                agent.address(),
                "server",
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                ProtocolLimits.DEFAULT,
                tls,
                Tls.afterHandshake("127.0.0.1", port, (host, p, presented) -> requireAgent(presented)),
                null);
    }

    /** The first reply to a request, scan progress aside. */
    private static Message reply(BlockingConnection c) throws IOException {
        Message m;
        do {
            m = c.receive();
        } while (m instanceof ScanProgress);
        return m;
    }

    /** A whole backup of the root on {@code c}; returns its tree digest. */
    private String backup(BlockingConnection c) throws IOException {
        c.send(new BackupRequest(root.toString(), null, null));
        Message m;
        do {
            m = c.receive();
        } while (!(m instanceof ArchiveEnd) && !(m instanceof ErrorReply));
        return assertInstanceOf(ArchiveEnd.class, m).digest();
    }

    private void dropTheServerFromTheTrustFile() throws IOException {
        String someoneElse = Identity.loadOrCreate(dir.resolve("other"), "other")
                .fingerprint()
                .value();
        Files.writeString(trustFile, "# the server was removed\n" + someoneElse + "\n");
        Files.setLastModifiedTime(trustFile, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    }

    @Test
    void aServerDroppedFromTheTrustFileIsRefusedOnAResumedConnectionAndOnItsNextNewOne() throws Exception {
        String digest;
        try (BlockingConnection first = dial()) {
            digest = backup(first); // its ticket came with the reply
        }
        BlockingConnection resumed = dial();
        assertEquals(1, fullHandshakes.get(), "the second connection resumed: no certificate in its handshake");
        // The agent's gate finds the server's certificate in the resumed session, and trusts it.
        resumed.send(new BackupRequest(root.toString(), digest, null));
        assertInstanceOf(Unchanged.class, reply(resumed));

        dropTheServerFromTheTrustFile();

        // Kept open (and made by resumption): the next request is refused, and the connection closed.
        resumed.send(new BackupRequest(root.toString(), digest, null));
        ErrorReply refused = assertInstanceOf(ErrorReply.class, reply(resumed));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        assertTrue(refused.message().contains("is not trusted by this agent any more"), refused.message());
        assertThrows(EOFException.class, resumed::receive);
        resumed.close();

        // A new connection offers the ticket of the resumed one: the agent does not honour it, makes a full
        // handshake, and refuses the server in it.
        SSLException e = assertThrows(SSLException.class, this::dial);
        assertEquals(2, fullHandshakes.get(), "the agent presented its certificate: a full handshake, " + e);
    }

    @Test
    void theRefusalsAServerKeepsTheConnectionAfterLeaveItServingTheNextRequest() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("not-allowed"));
        try (BlockingConnection c = dial()) {
            c.send(new BackupRequest(root.toString(), null, 99));
            assertEquals(
                    ErrorCode.BAD_REQUEST,
                    assertInstanceOf(ErrorReply.class, reply(c)).code());
            c.send(new BackupRequest(outside.toString(), null, null));
            assertEquals(
                    ErrorCode.REFUSED,
                    assertInstanceOf(ErrorReply.class, reply(c)).code());
            backup(c); // the same connection serves the next request
        }
        assertEquals(1, agent.connectionsAccepted());
    }
}
