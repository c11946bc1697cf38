package org.clusterbackup.core.net;

import java.io.IOException;
import javax.net.ssl.SSLSession;

/**
 * Judges a TLS session once its handshake is done, before the first byte of the protocol is sent. A resumed
 * session skips the certificate checks of a full handshake (the peer proves only that it holds the ticket's
 * secret), so a dialler that holds each peer to an identity that may change (a pin) checks the session's peer
 * certificate here, on every connection.
 */
@FunctionalInterface
public interface SessionCheck {
    /** @throws IOException the peer is refused; the connection is closed without a byte sent */
    void check(SSLSession session) throws IOException;

    /** Accepts every session: the context's own checks are all there is. */
    SessionCheck NONE = session -> {};
}
