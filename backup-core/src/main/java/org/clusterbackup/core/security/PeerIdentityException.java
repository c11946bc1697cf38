package org.clusterbackup.core.security;

import java.security.cert.CertificateException;
import java.util.Optional;

/**
 * A peer presented an identity this side does not trust. It travels through JSSE as the cause of an
 * {@link javax.net.ssl.SSLHandshakeException}; {@link #in} finds it again for the message.
 */
public class PeerIdentityException extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final transient Fingerprint presented;

    public PeerIdentityException(String message, Fingerprint presented) {
        super(message);
        this.presented = presented;
    }

    /** The fingerprint the peer presented. */
    public Fingerprint presented() {
        return presented;
    }

    /** This exception somewhere in the cause chain of {@code failure}, if it is there. */
    public static Optional<PeerIdentityException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PeerIdentityException p) {
                return Optional.of(p);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
