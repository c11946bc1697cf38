package org.clusterbackup.core.security;

import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A listener's TLS context, made again whenever the peers it trusts change. A session resumed from a
 * ticket skips the certificate check, and a ticket is sealed with a key of the context that issued it: a
 * new context cannot read an older ticket, so a peer trusted no longer meets a full handshake and its
 * refusal instead of resuming.
 */
final class ListenerContexts implements Supplier<SSLContext> {
    private final Identity own;
    private final PeerCheck clients;
    private SSLContext current;
    private long version;

    ListenerContexts(Identity own, PeerCheck clients) {
        this.own = own;
        this.clients = clients;
    }

    @Override
    public synchronized SSLContext get() {
        long now = clients.trustVersion();
        if (current == null || now != version) {
            current = Tls.context(own, clients);
            version = now;
        }
        return current;
    }
}
