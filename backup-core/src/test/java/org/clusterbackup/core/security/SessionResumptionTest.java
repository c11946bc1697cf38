package org.clusterbackup.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.net.SessionCheck;
import org.clusterbackup.core.net.TlsSettings;
import org.clusterbackup.core.net.TransportConfig;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 session resumption between a dialler that reuses one context (the server towards its agents) and
 * a listener (an agent), on real loopback sockets with the listener on 127.0.0.2: the second connection
 * skips the certificate checks of a full handshake, and every identity check still holds.
 */
class SessionResumptionTest {
    @TempDir
    Path dir;

    private Identity listenerId;
    private Identity dialerId;
    private NioServer server;
    /** Certificate checks made inside full handshakes, on each side. */
    private final AtomicInteger dialerFullChecks = new AtomicInteger();

    private final AtomicInteger listenerFullChecks = new AtomicInteger();

    @BeforeEach
    void identities() throws IOException {
        listenerId = Identity.loadOrCreate(dir.resolve("listener"), "listener");
        dialerId = Identity.loadOrCreate(dir.resolve("dialer"), "dialer");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A listener on 127.0.0.2 that echoes Data frames and trusts the dialers {@code trusted} holds now. */
    private InetSocketAddress listen(AtomicReference<Set<Fingerprint>> trusted, AtomicInteger version)
            throws IOException {
        PeerCheck clients = new PeerCheck() {
            @Override
            public void check(Fingerprint presented) throws PeerIdentityException {
                listenerFullChecks.incrementAndGet();
                if (!trusted.get().contains(presented)) {
                    throw new PeerIdentityException(presented + " is not trusted", presented);
                }
            }

            @Override
            public long trustVersion() {
                return version.get();
            }
        };
        TlsSettings tls = Tls.listener(listenerId, clients);
        server = NioServer.start(
                TransportConfig.of(new InetSocketAddress("127.0.0.2", 0), "agent", Set.of("server"))
                        .withPeers(PeerLimits.of(PeerLimits.DATA_REQUESTS))
                        .withTls(tls),
                c -> c::send);
        return server.address();
    }

    /** The dialler's context: the listener's identity is expected at its address. */
    private SSLContext dialer(AtomicReference<Fingerprint> expected) {
        return Tls.dialer(dialerId, (host, port, presented) -> {
            dialerFullChecks.incrementAndGet();
            pinned(expected.get(), presented);
        });
    }

    private static void pinned(Fingerprint expected, Fingerprint presented) throws PeerIdentityException {
        if (!presented.equals(expected)) {
            throw new PeerIdentityException("identity changed: expected " + expected + ", got " + presented, presented);
        }
    }

    private static BlockingConnection dial(InetSocketAddress address, SSLContext tls, SessionCheck check)
            throws IOException {
        BlockingConnection c = BlockingConnection.open(
                address,
                "server",
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                ProtocolLimits.DEFAULT,
                tls,
                check,
                null);
        // One exchange: the listener's session ticket, sent after its handshake, is read by now at the latest.
        c.send(new Data(new byte[] {7}));
        assertInstanceOf(Data.class, c.receive());
        return c;
    }

    @Test
    void aSecondConnectionResumesWithoutCertificateChecksAndStillHoldsTheListenersCertificate() throws Exception {
        InetSocketAddress address = listen(new AtomicReference<>(Set.of(dialerId.fingerprint())), new AtomicInteger());
        AtomicReference<Fingerprint> expected = new AtomicReference<>(listenerId.fingerprint());
        SSLContext tls = dialer(expected);
        List<Fingerprint> seen = new CopyOnWriteArrayList<>();
        DialCheck record = (host, port, presented) -> seen.add(presented);
        for (int i = 0; i < 3; i++) {
            dial(address, tls, Tls.afterHandshake("127.0.0.2", address.getPort(), record))
                    .close();
        }
        assertEquals(1, dialerFullChecks.get(), "only the first connection checked certificates in a handshake");
        assertEquals(1, listenerFullChecks.get(), "the listener too judged a certificate once");
        assertEquals(List.of(listenerId.fingerprint(), listenerId.fingerprint(), listenerId.fingerprint()), seen);
    }

    @Test
    void aResumedSessionIsRefusedWhenThePinNoLongerMatches() throws Exception {
        InetSocketAddress address = listen(new AtomicReference<>(Set.of(dialerId.fingerprint())), new AtomicInteger());
        AtomicReference<Fingerprint> expected = new AtomicReference<>(listenerId.fingerprint());
        SSLContext tls = dialer(expected);
        SessionCheck pin = Tls.afterHandshake("127.0.0.2", address.getPort(), (host, port, presented) -> {
            assertEquals("127.0.0.2", host);
            pinned(expected.get(), presented);
        });
        dial(address, tls, pin).close();
        Fingerprint other = Identity.loadOrCreate(dir.resolve("other"), "other").fingerprint();
        expected.set(other); // re-pinned meanwhile (by an operator, or by another server of a cluster)

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> dial(address, tls, pin));
        PeerIdentityException why = PeerIdentityException.in(e).orElseThrow();
        assertEquals(listenerId.fingerprint(), why.presented());
        assertTrue(e.getMessage().contains("expected " + other), e.getMessage());
        assertEquals(1, dialerFullChecks.get(), "the refused connection was a resumption: only the check after it");
    }

    @Test
    void aListenerThatStoppedTrustingTheDialerRefusesItsResumptionInTheHandshake() throws Exception {
        AtomicReference<Set<Fingerprint>> trusted = new AtomicReference<>(Set.of(dialerId.fingerprint()));
        AtomicInteger version = new AtomicInteger();
        InetSocketAddress address = listen(trusted, version);
        SSLContext tls = dialer(new AtomicReference<>(listenerId.fingerprint()));
        dial(address, tls, SessionCheck.NONE).close();
        dial(address, tls, SessionCheck.NONE).close();
        assertEquals(1, listenerFullChecks.get(), "resumed once while trusted");

        trusted.set(Set.of(Identity.loadOrCreate(dir.resolve("other"), "other").fingerprint()));
        version.incrementAndGet();
        SSLException e = assertThrows(SSLException.class, () -> dial(address, tls, SessionCheck.NONE));
        assertTrue(e.getMessage().contains("certificate"), e.getMessage());
        assertEquals(2, listenerFullChecks.get(), "the ticket was not honoured: a full handshake judged the dialer");
    }

    @Test
    void aServerTrustFileThatDropsAServerChangesItsTrustVersion() throws Exception {
        Fingerprint a = dialerId.fingerprint();
        Fingerprint b = listenerId.fingerprint();
        Path file = dir.resolve("trusted-servers");
        java.nio.file.Files.writeString(file, a + "\n" + b + "\n");
        ServerTrust trust = new ServerTrust(List.of(), file);
        long before = trust.trustVersion();
        assertEquals(before, trust.trustVersion(), "unchanged file, same version");
        java.nio.file.Files.writeString(file, "# " + a + " removed\n" + b + "\n");
        java.nio.file.Files.setLastModifiedTime(
                file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
        assertTrue(trust.trustVersion() != before, "a new list, a new version");
    }
}
