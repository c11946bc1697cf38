package org.clusterbackup.core.security;

/**
 * Judges the identity of a peer this side dialled, by the address it dialled: one TLS context serves every
 * peer (its session cache is what lets a connection resume), while each peer is held to its own pin.
 */
@FunctionalInterface
public interface DialCheck {
    /**
     * @param host the host as dialled (a name or an address literal)
     * @throws PeerIdentityException the peer at {@code host:port} is not trusted with this identity
     */
    void check(String host, int port, Fingerprint presented) throws PeerIdentityException;
}
