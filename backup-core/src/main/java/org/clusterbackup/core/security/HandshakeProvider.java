package org.clusterbackup.core.security;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bouncycastle.jcajce.provider.asymmetric.edec.KeyAgreementSpi;
import org.bouncycastle.jcajce.provider.asymmetric.edec.KeyFactorySpi;
import org.bouncycastle.jcajce.provider.asymmetric.edec.KeyPairGeneratorSpi;

/**
 * The elliptic-curve arithmetic of a TLS 1.3 handshake, done by Bouncy Castle's code instead of the JDK's:
 * JDK 17's P-256 and X25519 (SunEC) have no precomputed tables and cost the server several times more CPU
 * per handshake (docs/PERFORMANCE.md, "The TLS handshake's arithmetic"). It offers exactly what JSSE asks for
 * in the handshakes the product makes, and nothing else: {@code Signature.SHA256withECDSA} (the
 * CertificateVerify of an EC P-256 identity, and its check) and {@code XDH} key pair generation, key factory
 * and key agreement (the X25519 key share). Digests, ciphers, MACs, random numbers, key stores and EC key
 * parsing stay with the JDK's providers. Installed first in the provider list by {@link #install}, which
 * {@link Tls} calls before it makes any context (docs/SECURITY.md, "The handshake provider").
 */
public final class HandshakeProvider extends Provider {
    public static final String NAME = "ClusterBackupHandshake";

    private static final long serialVersionUID = 1L;

    /**
     * Puts the provider first in the JVM's list, once: later calls, and calls after another thread did it,
     * change nothing.
     */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new HandshakeProvider(served -> {}), 1);
        }
    }

    /** @param served told the type and algorithm of each object made; a seam for tests */
    HandshakeProvider(Consumer<String> served) {
        super(NAME, "1.0", "ECDSA P-256 signatures and X25519 for TLS handshakes, by Bouncy Castle");
        offer("Signature", EcdsaSha256.ALGORITHM, EcdsaSha256.class, EcdsaSha256::new, served);
        offer("KeyPairGenerator", "XDH", KeyPairGeneratorSpi.XDH.class, KeyPairGeneratorSpi.XDH::new, served);
        offer("KeyFactory", "XDH", KeyFactorySpi.XDH.class, KeyFactorySpi.XDH::new, served);
        offer("KeyAgreement", "XDH", KeyAgreementSpi.XDH.class, KeyAgreementSpi.XDH::new, served);
    }

    /** One service, made by {@code make} directly: no reflection into Bouncy Castle's module. */
    private void offer(String type, String algorithm, Class<?> spi, Supplier<Object> make, Consumer<String> served) {
        putService(new Service(this, type, algorithm, spi.getName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                if (constructorParameter != null) {
                    throw new NoSuchAlgorithmException(type + "." + algorithm + " takes no parameter");
                }
                served.accept(type + "." + algorithm);
                return make.get();
            }
        });
    }
}
