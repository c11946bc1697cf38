package org.clusterbackup.core.security;

/**
 * Decides, inside a TLS handshake, whether the peer's certificate is one this side trusts. Called with the
 * certificate's fingerprint; a refusal aborts the handshake before a byte of the protocol is exchanged.
 */
@FunctionalInterface
public interface PeerCheck {
    /** @throws PeerIdentityException the peer is not trusted; the message says whom we expected */
    void check(Fingerprint presented) throws PeerIdentityException;

    /**
     * A number that changes whenever the set of trusted peers may have changed: a listener then stops
     * resuming sessions that were set up under the old set ({@link ListenerContexts}). Constant for a check
     * whose verdicts never change.
     */
    default long trustVersion() {
        return 0;
    }

    /** Accepts no peer at all: for a listener that asks for no client certificate. */
    PeerCheck NONE = presented -> {
        throw new PeerIdentityException(
                "no certificate is trusted here, and " + presented + " was presented", presented);
    };
}
