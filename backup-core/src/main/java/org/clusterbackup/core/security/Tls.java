package org.clusterbackup.core.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.clusterbackup.core.net.TlsSettings;

/** Builds the TLS 1.3 contexts of the product: own identity presented, peers judged by a {@link PeerCheck}. */
public final class Tls {
    private Tls() {}

    /**
     * A context for one side of a connection.
     *
     * @param own the identity to present, or null for a side without one (an operator's client)
     * @param peers judges the other side's certificate
     */
    public static SSLContext context(Identity own, PeerCheck peers) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(
                    own == null ? null : own.keyManagers(),
                    new TrustManager[] {new PinnedTrustManager(peers)},
                    new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /** A listener presenting {@code own}; with {@code clients} non-null, every peer must pass it. */
    public static TlsSettings listener(Identity own, PeerCheck clients) {
        return new TlsSettings(context(own, clients == null ? PeerCheck.NONE : clients), clients != null);
    }
}
