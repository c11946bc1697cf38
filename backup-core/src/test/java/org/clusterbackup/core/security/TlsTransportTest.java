package org.clusterbackup.core.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.net.TlsSettings;
import org.clusterbackup.core.net.TransportConfig;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RestoreEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NIO listener and the blocking client over TLS 1.3 with pinned identities, on loopback sockets. */
class TlsTransportTest {
    @TempDir
    Path dir;

    private Identity listenerId;
    private Identity clientId;
    private NioServer server;
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void identities() throws IOException {
        listenerId = Identity.loadOrCreate(dir.resolve("listener"), "listener");
        clientId = Identity.loadOrCreate(dir.resolve("client"), "client");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Echoes every Data frame; a RestoreEnd ends the echo with one more RestoreEnd. */
    private InetSocketAddress listen(TlsSettings tls) throws IOException {
        // Peer limits as an agent's: its requests include Data frames of restores, beyond a control request's cap.
        server = NioServer.start(
                TransportConfig.of(new InetSocketAddress("127.0.0.1", 0), "agent", Set.of("server"))
                        .withPeers(PeerLimits.of(PeerLimits.DATA_REQUESTS))
                        .withTls(tls),
                c -> m -> {
                    handled.incrementAndGet();
                    c.send(m);
                });
        return server.address();
    }

    private static PeerCheck only(Fingerprint trusted) {
        return presented -> {
            if (!presented.equals(trusted)) {
                throw new PeerIdentityException("expected " + trusted + ", got " + presented, presented);
            }
        };
    }

    private BlockingConnection dial(InetSocketAddress address, SSLContext tls) throws IOException {
        return BlockingConnection.open(
                address, "server", Duration.ofSeconds(5), Duration.ofSeconds(10), ProtocolLimits.DEFAULT, tls, null);
    }

    @Test
    void megabytesCrossInBothDirectionsIntactThroughPartialReadsAndWrites() throws Exception {
        InetSocketAddress address = listen(Tls.listener(listenerId, only(clientId.fingerprint())));
        byte[] sent = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(sent);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        try (BlockingConnection c = dial(address, Tls.context(clientId, only(listenerId.fingerprint())))) {
            // Sent all at once: the listener's writes back must wait for our reads, and partial writes happen.
            Thread writer = new Thread(() -> {
                try {
                    for (int off = 0; off < sent.length; off += 100_000) {
                        c.send(new Data(java.util.Arrays.copyOfRange(sent, off, Math.min(sent.length, off + 100_000))));
                    }
                    c.send(new RestoreEnd());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            while (true) {
                var m = c.receive();
                if (m instanceof RestoreEnd) {
                    break;
                }
                echoed.write(assertInstanceOf(Data.class, m).bytes());
            }
            writer.join();
            assertEquals("agent", c.peerRole());
        }
        assertArrayEquals(sent, echoed.toByteArray());
    }

    @Test
    void aPlaintextPeerGetsNothingButAClosedSocket() throws Exception {
        InetSocketAddress address = listen(Tls.listener(listenerId, only(clientId.fingerprint())));
        try (Socket plain = new Socket()) {
            plain.connect(address, 2000);
            plain.setSoTimeout(10_000);
            ByteBuffer hello =
                    FrameEncoder.encode(new Hello(ProtocolLimits.PROTOCOL_VERSION, "server"), ProtocolLimits.DEFAULT);
            plain.getOutputStream().write(hello.array(), 0, hello.limit());
            InputStream in = plain.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            assertEquals(-1, first, "not one byte comes back");
        }
        assertEquals(0, handled.get());
    }

    @Test
    void aPeerThatNeverCompletesItsHandshakeIsClosedAtTheHelloDeadline() throws Exception {
        // The default idle timeout (120 s) is far away: only the 10 s deadline for handshake + Hello closes it.
        InetSocketAddress address = listen(Tls.listener(listenerId, only(clientId.fingerprint())));
        try (Socket silent = new Socket()) {
            silent.connect(address, 2000);
            silent.setSoTimeout(60_000); // beyond the deadline, before the idle timeout
            int first;
            try {
                first = silent.getInputStream().read();
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            assertEquals(-1, first);
        }
        assertEquals(0, handled.get());
    }

    @Test
    void aClientRefusesAListenerWhoseIdentityItDoesNotPin() throws Exception {
        Identity stranger = Identity.loadOrCreate(dir.resolve("stranger"), "stranger");
        InetSocketAddress address = listen(Tls.listener(stranger, only(clientId.fingerprint())));
        SSLHandshakeException e = assertThrows(
                SSLHandshakeException.class,
                () -> dial(address, Tls.context(clientId, only(listenerId.fingerprint())))
                        .close());
        PeerIdentityException why = PeerIdentityException.in(e).orElseThrow();
        assertEquals(stranger.fingerprint(), why.presented());
        assertEquals(0, handled.get());
    }

    @Test
    void aListenerRefusesAClientItDoesNotTrustBeforeAnyHello() throws Exception {
        InetSocketAddress address = listen(Tls.listener(listenerId, only(clientId.fingerprint())));
        Identity stranger = Identity.loadOrCreate(dir.resolve("stranger"), "stranger");
        SSLException e = assertThrows(
                SSLException.class,
                () -> dial(address, Tls.context(stranger, only(listenerId.fingerprint())))
                        .close());
        assertTrue(e.getMessage().contains("certificate"), e.getMessage());
        assertEquals(0, handled.get());
    }

    @Test
    void aListenerAtItsConnectionCapClosesWithoutPlaintextAndTheClientSaysSo() throws Exception {
        server = NioServer.start(
                TransportConfig.of(new InetSocketAddress("127.0.0.1", 0), "agent", Set.of("server"))
                        .withPeers(PeerLimits.of(PeerLimits.DATA_REQUESTS).withMaxPerPeer(1))
                        .withTls(Tls.listener(listenerId, only(clientId.fingerprint()))),
                c -> m -> c.send(m));
        SSLContext tls = Tls.context(clientId, only(listenerId.fingerprint()));
        try (BlockingConnection first = dial(server.address(), tls)) {
            // Greeted just now, so not idle: the newcomer finds no room. A plaintext BUSY frame would reach a
            // TLS client as "unrecognized SSL message", a peer that does not speak the protocol.
            IOException e = assertThrows(
                    IOException.class, () -> dial(server.address(), tls).close());
            assertInstanceOf(java.io.EOFException.class, e, e.toString());
            assertTrue(e.getMessage().contains("connection limit"), e.getMessage());
            first.send(new Data(new byte[] {1}));
            assertInstanceOf(Data.class, first.receive(), "the connection already served goes on");
        }
    }
}
