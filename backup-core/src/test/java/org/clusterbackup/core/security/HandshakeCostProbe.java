package org.clusterbackup.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the harness behind docs/PERFORMANCE.md's "The TLS handshake's arithmetic". Surefire never runs
 * it by itself (its name does not end in Test); run it by name:
 * {@code ./mvnw -o -q -pl backup-test-kit,backup-core test -Dtest=HandshakeCostProbe -Dprobe.run=true}.
 * It prints the calling thread's CPU (ThreadMXBean) per operation, for the JDK's SunEC and for
 * {@link HandshakeProvider} (Bouncy Castle's code): an ECDSA P-256 signature and its check, an X25519 key pair
 * and agreement; then the server's CPU per TLS 1.3 handshake over loopback between the contexts the product
 * builds (a listener with an identity, a client without one, as {@code backupctl}), without and with the
 * provider installed, in alternating rounds. Each figure is the mean of {@code probe.n} operations after two
 * warm-up rounds, three rounds each.
 */
class HandshakeCostProbe {
    private static final ThreadMXBean THREADS = threads();

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("probe.run"), "run by name with -Dprobe.run=true");
        int n = Integer.getInteger("probe.n", 500);
        Identity server = Identity.loadOrCreate(tmp.resolve("server"), "probe-server");
        SSLContext listener = Tls.listener(server, null).contexts().get(); // installs the provider
        Provider ours = Security.getProvider(HandshakeProvider.NAME);
        Provider sunEc = Security.getProvider("SunEC");
        KeyPair ec = SelfSignedCertificate.keyPair();
        for (Provider p : List.of(sunEc, ours)) {
            Signature signer = Signature.getInstance("SHA256withECDSA", p);
            byte[] message = new byte[130];
            byte[][] signature = {null};
            report(p.getName() + " SHA256withECDSA sign (P-256, the JDK's key)", n, () -> {
                signer.initSign(ec.getPrivate());
                signer.update(message);
                signature[0] = signer.sign();
            });
            report(p.getName() + " SHA256withECDSA verify (P-256, the JDK's key)", n, () -> {
                signer.initVerify(ec.getPublic());
                signer.update(message);
                assertTrue(signer.verify(signature[0]));
            });
            KeyPairGenerator xdh = KeyPairGenerator.getInstance("XDH", p);
            KeyAgreement agreement = KeyAgreement.getInstance("XDH", p);
            java.security.KeyFactory factory = java.security.KeyFactory.getInstance("XDH", p);
            xdh.initialize(NamedParameterSpec.X25519);
            BigInteger peer = ((XECPublicKey) xdh.generateKeyPair().getPublic()).getU();
            report(p.getName() + " X25519 key pair", n, () -> {
                xdh.initialize(NamedParameterSpec.X25519);
                xdh.generateKeyPair();
            });
            report(p.getName() + " X25519 key pair + peer key + agreement", n, () -> {
                xdh.initialize(NamedParameterSpec.X25519);
                KeyPair own = xdh.generateKeyPair();
                PublicKey theirs = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, peer));
                agreement.init(own.getPrivate());
                agreement.doPhase(theirs, true);
                assertEquals(32, agreement.generateSecret().length);
            });
        }
        crossCheck(ec.getPrivate(), ec.getPublic(), ours, sunEc);

        Fingerprint pinned = server.fingerprint();
        // A new client context per connection, as each backupctl is a new JVM: nothing to resume.
        java.util.function.Supplier<SSLContext> client = () -> Tls.context(null, presented -> {
            if (!presented.equals(pinned)) {
                throw new PeerIdentityException("not the pinned server", presented);
            }
        });
        // JSSE issues no NewSessionTicket when the server's session timeout exceeds 7 days (RFC 8446's cap).
        SSLContext noTickets = Tls.listener(server, null).contexts().get();
        noTickets.getServerSessionContext().setSessionTimeout(7 * 24 * 3600 + 1);
        for (int round = -2; round < 3; round++) {
            for (boolean with : new boolean[] {false, true}) {
                Security.removeProvider(HandshakeProvider.NAME);
                java.util.Map<String, Integer> served = new java.util.concurrent.ConcurrentSkipListMap<>();
                if (with) {
                    Security.insertProviderAt(new HandshakeProvider(s -> served.merge(s, 1, Integer::sum)), 1);
                }
                double ms = handshakes(listener, client, n);
                if (round >= 0) {
                    System.out.printf(
                            "PROBE TLS 1.3 handshake over loopback, server thread CPU, %s: %.3f ms%s%n",
                            with ? "with the provider" : "JDK providers only",
                            ms,
                            with ? " (objects made, both ends, " + n + " handshakes: " + served + ")" : "");
                }
                if (with) {
                    double bare = handshakes(noTickets, client, n);
                    if (round >= 0) {
                        System.out.printf(
                                "PROBE TLS 1.3 handshake over loopback, server thread CPU, with the provider, no"
                                        + " session ticket: %.3f ms%n",
                                bare);
                    }
                }
            }
        }
        HandshakeProvider.install();
    }

    /** What one provider signs, the other verifies. */
    private static void crossCheck(PrivateKey key, PublicKey pub, Provider a, Provider b) throws Exception {
        for (Provider[] pair : new Provider[][] {{a, b}, {b, a}}) {
            Signature signer = Signature.getInstance("SHA256withECDSA", pair[0]);
            signer.initSign(key);
            signer.update(new byte[] {1, 2, 3});
            Signature verifier = Signature.getInstance("SHA256withECDSA", pair[1]);
            verifier.initVerify(pub);
            verifier.update(new byte[] {1, 2, 3});
            assertTrue(verifier.verify(signer.sign()));
        }
    }

    /** {@code n} full handshakes and one byte each way; the server thread's mean CPU per connection in ms. */
    private static double handshakes(SSLContext listener, java.util.function.Supplier<SSLContext> client, int n)
            throws Exception {
        AtomicLong serverNanos = new AtomicLong();
        try (SSLServerSocket socket = (SSLServerSocket)
                listener.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            Thread serving = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    try (SSLSocket s = (SSLSocket) socket.accept()) {
                        long c0 = THREADS.getCurrentThreadCpuTime();
                        s.startHandshake();
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        out.write(in.read());
                        out.flush();
                        serverNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            serving.start();
            InetSocketAddress address = (InetSocketAddress) socket.getLocalSocketAddress();
            for (int i = 0; i < n; i++) {
                try (SSLSocket s = (SSLSocket)
                        client.get().getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
                    s.setEnabledProtocols(new String[] {"TLSv1.3"});
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    assertEquals(42, s.getInputStream().read());
                }
            }
            serving.join();
        }
        return serverNanos.get() / (double) n / 1e6;
    }

    /** The tests run in the core's module, which does not read java.management: the probe adds the edge. */
    private static ThreadMXBean threads() {
        HandshakeCostProbe.class
                .getModule()
                .addReads(ModuleLayer.boot().findModule("java.management").orElseThrow());
        return ManagementFactory.getThreadMXBean();
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    private static void report(String what, int n, Op op) throws Exception {
        List<String> rounds = new ArrayList<>();
        for (int round = -2; round < 3; round++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                op.run();
            }
            if (round >= 0) {
                rounds.add(String.format("%.3f", (THREADS.getCurrentThreadCpuTime() - c0) / (double) n / 1e6));
            }
        }
        System.out.printf("PROBE %s: CPU ms per operation %s%n", what, rounds);
    }
}
