package org.clusterbackup.core.security;

import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPrivateKey;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.bouncycastle.jcajce.provider.asymmetric.ec.SignatureSpi;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Bouncy Castle's SHA256withECDSA (DER-encoded signatures, as the JDK's), handed keys in Bouncy Castle's
 * form. The keys JSSE passes are the JDK's (an identity loaded from its PKCS#12 file, a key parsed from a
 * peer's certificate); Bouncy Castle takes those too, but then converts the curve and recomputes its table of
 * base-point multiples on every signature, which costs most of what its arithmetic saves. A private key is
 * therefore converted once and kept (weakly, per key: a daemon signs with its one identity); a public key,
 * new with every peer certificate, is converted per use.
 */
final class EcdsaSha256 extends SignatureSpi.ecDSA256 {
    static final String ALGORITHM = "SHA256withECDSA";

    private static final Map<PrivateKey, BCECPrivateKey> PRIVATE = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
        super.engineInitSign(key instanceof ECPrivateKey ec && !(key instanceof BCECPrivateKey) ? converted(ec) : key);
    }

    @Override
    protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
        super.engineInitVerify(
                key instanceof ECPublicKey ec && !(key instanceof BCECPublicKey)
                        ? new BCECPublicKey(ec, BouncyCastleProvider.CONFIGURATION)
                        : key);
    }

    private static BCECPrivateKey converted(ECPrivateKey key) {
        return PRIVATE.computeIfAbsent(key, k -> new BCECPrivateKey(key, BouncyCastleProvider.CONFIGURATION));
    }
}
