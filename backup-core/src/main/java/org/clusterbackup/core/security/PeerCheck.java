package org.clusterbackup.core.security;

/**
 * Decides, inside a TLS handshake, whether the peer's certificate is one this side trusts. Called with the
 * certificate's fingerprint; a refusal aborts the handshake before a byte of the protocol is exchanged.
 */
@FunctionalInterface
public interface PeerCheck {
    /** @throws PeerIdentityException the peer is not trusted; the message says whom we expected */
    void check(Fingerprint presented) throws PeerIdentityException;

    /** Accepts no peer at all: for a listener that asks for no client certificate. */
    PeerCheck NONE = presented -> {
        throw new PeerIdentityException(
                "no certificate is trusted here, and " + presented + " was presented", presented);
    };
}
