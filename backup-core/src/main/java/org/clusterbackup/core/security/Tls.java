package org.clusterbackup.core.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import org.clusterbackup.core.net.SessionCheck;
import org.clusterbackup.core.net.TlsSettings;

/**
 * Builds the TLS 1.3 contexts of the product: own identity presented, peers judged by a {@link PeerCheck}.
 * A context reused for many connections resumes sessions (docs/SECURITY.md, "Session resumption").
 */
public final class Tls {
    /**
     * How long a session may be resumed after the handshake that issued its ticket, on either side: the
     * dialler's cache forgets it, and the listener's tickets say so. Each resumption issues a new ticket.
     */
    static final int SESSION_LIFETIME_SECONDS = 3600;

    static {
        // Before any context exists: every handshake of the product uses the faster EC arithmetic.
        HandshakeProvider.install();
    }

    private Tls() {}

    /**
     * A context for one side of a connection.
     *
     * @param own the identity to present, or null for a side without one (an operator's client)
     * @param peers judges the other side's certificate
     */
    public static SSLContext context(Identity own, PeerCheck peers) {
        return context(own, new PinnedTrustManager(peers));
    }

    /**
     * One context for dialling many peers, each judged by the address dialled. Its session cache lets a later
     * connection to the same host and port resume, which skips the certificate checks: every connection must
     * also pass {@link #afterHandshake}.
     */
    public static SSLContext dialer(Identity own, DialCheck peers) {
        return context(own, new PinnedTrustManager(peers));
    }

    private static SSLContext context(Identity own, PinnedTrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(own == null ? null : own.keyManagers(), new TrustManager[] {trust}, new SecureRandom());
            context.getClientSessionContext().setSessionTimeout(SESSION_LIFETIME_SECONDS);
            context.getServerSessionContext().setSessionTimeout(SESSION_LIFETIME_SECONDS);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /**
     * The check of a dialled peer once the handshake is done, full or resumed: the certificate the session
     * holds (a resumed session keeps its first handshake's) must pass {@code peers} for {@code host:port}.
     * A refusal is an {@link SSLHandshakeException} caused by the {@link PeerIdentityException}, as in a full
     * handshake.
     */
    public static SessionCheck afterHandshake(String host, int port, DialCheck peers) {
        return session -> {
            Fingerprint presented = peerOf(session);
            try {
                peers.check(host, port, presented);
            } catch (PeerIdentityException e) {
                SSLHandshakeException refused = new SSLHandshakeException(e.getMessage());
                refused.initCause(e);
                throw refused;
            }
        };
    }

    /** The fingerprint of the certificate the peer of {@code session} presented. */
    public static Fingerprint peerOf(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
            throw new SSLPeerUnverifiedException("the peer presented no X.509 certificate");
        }
        return Fingerprint.of(certificate);
    }

    /**
     * A listener presenting {@code own}; with {@code clients} non-null, every peer must pass it, and the
     * context is made again when the peers it trusts change ({@link PeerCheck#trustVersion}).
     */
    public static TlsSettings listener(Identity own, PeerCheck clients) {
        if (clients == null) {
            return new TlsSettings(context(own, PeerCheck.NONE), false);
        }
        return new TlsSettings(new ListenerContexts(own, clients), true);
    }
}
