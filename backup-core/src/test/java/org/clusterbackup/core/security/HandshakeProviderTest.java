package org.clusterbackup.core.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HandshakeProvider}: first in the JVM's list, serving exactly the handshake's elliptic-curve
 * services with Bouncy Castle's code, interoperable with the JDK's, and used by the product's handshakes
 * over loopback sockets, which still fail on a signature made with the wrong key.
 */
class HandshakeProviderTest {
    @TempDir
    Path dir;

    private Identity server;
    private Identity agent;
    /** The services the provider under test made, by "Type.algorithm". */
    private final Map<String, Integer> served = new ConcurrentSkipListMap<>();

    @BeforeEach
    void countingProvider() throws IOException {
        server = Identity.loadOrCreate(dir.resolve("server"), "server");
        agent = Identity.loadOrCreate(dir.resolve("agent"), "agent");
        Tls.listener(server, null); // as every program: building a context installs the provider
        Security.removeProvider(HandshakeProvider.NAME);
        Security.insertProviderAt(new HandshakeProvider(s -> served.merge(s, 1, Integer::sum)), 1);
    }

    @AfterEach
    void restore() {
        Security.removeProvider(HandshakeProvider.NAME);
        HandshakeProvider.install();
    }

    @Test
    void installIsIdempotentAndPutsItFirst() {
        Security.removeProvider(HandshakeProvider.NAME);
        HandshakeProvider.install();
        HandshakeProvider.install();
        Provider[] providers = Security.getProviders();
        assertEquals(HandshakeProvider.NAME, providers[0].getName());
        assertEquals(
                1,
                Arrays.stream(providers)
                        .filter(p -> p.getName().equals(HandshakeProvider.NAME))
                        .count());
    }

    @Test
    void servesTheHandshakeArithmeticAndNothingElse() throws Exception {
        assertEquals(
                HandshakeProvider.NAME,
                Signature.getInstance("SHA256withECDSA").getProvider().getName());
        assertEquals(
                HandshakeProvider.NAME,
                KeyPairGenerator.getInstance("XDH").getProvider().getName());
        assertEquals(
                HandshakeProvider.NAME,
                KeyFactory.getInstance("XDH").getProvider().getName());
        assertEquals(
                HandshakeProvider.NAME,
                KeyAgreement.getInstance("XDH").getProvider().getName());
        assertEquals(
                4, Security.getProvider(HandshakeProvider.NAME).getServices().size());
        // What stays with the JDK: digests, ciphers, MACs, random numbers, key stores, EC keys, other signatures.
        assertEquals("SUN", MessageDigest.getInstance("SHA-256").getProvider().getName());
        assertEquals(
                "SunJCE", Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
        assertEquals("SunJCE", Mac.getInstance("HmacSHA256").getProvider().getName());
        assertNotEquals(HandshakeProvider.NAME, new SecureRandom().getProvider().getName());
        assertEquals("SUN", KeyStore.getInstance("PKCS12").getProvider().getName());
        assertEquals("SunEC", KeyFactory.getInstance("EC").getProvider().getName());
        assertEquals("SunEC", KeyPairGenerator.getInstance("EC").getProvider().getName());
        assertEquals(
                "SunEC", Signature.getInstance("SHA384withECDSA").getProvider().getName());
        assertEquals(
                "SunEC", KeyPairGenerator.getInstance("X25519").getProvider().getName());
    }

    @Test
    void signaturesInteroperateWithTheJdksBothWays() throws Exception {
        PrivateKey key =
                Identity.load(dir.resolve("server").resolve(Identity.FILE_NAME)).privateKey();
        PublicKey pub = server.certificate().getPublicKey();
        byte[] message = "CertificateVerify".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Provider ours = Security.getProvider(HandshakeProvider.NAME);
        Provider jdk = Security.getProvider("SunEC");
        assertTrue(verify(jdk, pub, message, sign(ours, key, message)));
        assertTrue(verify(ours, pub, message, sign(jdk, key, message)));
        assertTrue(verify(ours, pub, message, sign(ours, key, message)));

        byte[] good = sign(ours, key, message);
        byte[] other = "CertificateVerifz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(verify(ours, pub, other, good), "another message");
        assertFalse(verify(ours, agent.certificate().getPublicKey(), message, good), "another key");
        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 1;
        assertFalse(verify(ours, pub, message, flipped), "a changed signature");
    }

    @Test
    void x25519AgreesWithTheJdksAndRefusesALowOrderPoint() throws Exception {
        Provider ours = Security.getProvider(HandshakeProvider.NAME);
        Provider jdk = Security.getProvider("SunEC");
        KeyPair a = xdhPair(ours);
        KeyPair b = xdhPair(jdk);
        byte[] ab = agree(ours, a.getPrivate(), peerKey(ours, b.getPublic()));
        byte[] ba = agree(jdk, b.getPrivate(), peerKey(jdk, a.getPublic()));
        assertEquals(32, ab.length);
        assertArrayEquals(ba, ab);
        // u = 0 has order 1: the shared secret would be all zeroes, which TLS 1.3 must refuse.
        PublicKey zero = KeyFactory.getInstance("XDH", ours)
                .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.ZERO));
        assertThrows(Exception.class, () -> agree(ours, a.getPrivate(), zero));
    }

    @Test
    void aControlConnectionsHandshakeUsesIt() throws Exception {
        SSLContext listener = Tls.listener(server, null).contexts().get();
        SSLContext client = Tls.context(null, pinned(server.fingerprint()));
        handshake(listener, client, false);
        // The server signs, the client checks; each side makes an X25519 key pair and agrees.
        assertEquals(2, served.get("Signature.SHA256withECDSA"));
        assertEquals(2, served.get("KeyPairGenerator.XDH"));
        assertEquals(2, served.get("KeyAgreement.XDH"));
    }

    @Test
    void aMutualHandshakeBetweenDaemonsUsesIt() throws Exception {
        SSLContext listener =
                Tls.listener(agent, pinned(server.fingerprint())).contexts().get();
        SSLContext dialer = Tls.dialer(
                server, (host, port, presented) -> pinned(agent.fingerprint()).check(presented));
        handshake(listener, dialer, true);
        assertEquals(4, served.get("Signature.SHA256withECDSA"));
    }

    @Test
    void aServerSigningWithAnotherKeyThanItsCertificatesIsRefused() throws Exception {
        SSLContext client = Tls.context(null, pinned(server.fingerprint()));
        PrivateKey real =
                Identity.load(dir.resolve("server").resolve(Identity.FILE_NAME)).privateKey();
        handshake(presenting(real, server.certificate()), client, false); // the set-up itself works
        served.clear();

        PrivateKey other = SelfSignedCertificate.keyPair().getPrivate();
        SSLContext impostor = presenting(other, server.certificate());
        SSLHandshakeException refused = assertThrows(
                SSLHandshakeException.class,
                () -> handshake(impostor, Tls.context(null, pinned(server.fingerprint())), false));
        assertTrue(served.get("Signature.SHA256withECDSA") >= 2, "the provider signed and checked: " + served);
        assertTrue(String.valueOf(refused.getMessage()).contains("signature"), refused.getMessage());
    }

    @Test
    void aClientSigningWithAnotherKeyThanItsCertificatesIsRefused() throws Exception {
        SSLContext listener =
                Tls.listener(agent, pinned(server.fingerprint())).contexts().get();
        PrivateKey other = SelfSignedCertificate.keyPair().getPrivate();
        SSLContext impostor = presenting(other, server.certificate(), pinned(agent.fingerprint()));
        assertThrows(IOException.class, () -> handshake(listener, impostor, true));
        assertTrue(served.get("Signature.SHA256withECDSA") >= 3, "the provider signed and checked: " + served);
    }

    private static PeerCheck pinned(Fingerprint expected) {
        return presented -> {
            if (!presented.equals(expected)) {
                throw new PeerIdentityException("not " + expected, presented);
            }
        };
    }

    /** A context that presents {@code certificate} but signs with {@code key}, as only an impostor would. */
    private static SSLContext presenting(PrivateKey key, Certificate certificate, PeerCheck... peers)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("id", key, password, new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        PeerCheck check = peers.length == 0 ? PeerCheck.NONE : peers[0];
        context.init(keys.getKeyManagers(), new javax.net.ssl.TrustManager[] {new PinnedTrustManager(check)}, null);
        return context;
    }

    /** A full handshake and one byte each way over a loopback socket; either side's failure is thrown. */
    private static void handshake(SSLContext listener, SSLContext client, boolean mutual) throws Exception {
        try (SSLServerSocket socket = (SSLServerSocket)
                listener.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setNeedClientAuth(mutual);
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(s.getInputStream().read());
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            IOException clientFailed = null;
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", socket.getLocalPort())) {
                s.setEnabledProtocols(new String[] {"TLSv1.3"});
                s.startHandshake();
                s.getOutputStream().write(42);
                s.getOutputStream().flush();
                if (s.getInputStream().read() != 42) {
                    throw new IOException("the server's answer did not come back");
                }
            } catch (IOException e) {
                clientFailed = e;
            }
            try {
                serving.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (clientFailed == null && e.getCause().getCause() instanceof IOException io) {
                    throw io; // the server refused: its reason
                }
            }
            if (clientFailed != null) {
                throw clientFailed; // the client refused, or saw the server's alert
            }
        }
    }

    private static byte[] sign(Provider p, PrivateKey key, byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSA", p);
        s.initSign(key);
        s.update(message);
        return s.sign();
    }

    private static boolean verify(Provider p, PublicKey key, byte[] message, byte[] signature)
            throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSA", p);
        s.initVerify(key);
        s.update(message);
        return s.verify(signature);
    }

    private static KeyPair xdhPair(Provider p) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("XDH", p);
        g.initialize(NamedParameterSpec.X25519);
        return g.generateKeyPair();
    }

    /** The peer's key as JSSE rebuilds it from the wire: its u coordinate through the key factory. */
    private static PublicKey peerKey(Provider p, PublicKey key) throws GeneralSecurityException {
        BigInteger u = ((java.security.interfaces.XECPublicKey) key).getU();
        return KeyFactory.getInstance("XDH", p).generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
    }

    private static byte[] agree(Provider p, PrivateKey own, PublicKey theirs) throws GeneralSecurityException {
        KeyAgreement a = KeyAgreement.getInstance("XDH", p);
        a.init(own);
        a.doPhase(theirs, true);
        return a.generateSecret();
    }
}
