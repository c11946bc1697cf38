package org.clusterbackup.core.net;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Whether a new connection gets a place (selector thread only). At a cap (all connections, or those of
 * one IP address) the oldest connection that never completed its {@code Hello}, else the oldest idle one,
 * is closed to make room: idle or half-open connections never lock out a peer that means business.
 */
final class Admission {
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());

    private final TransportConfig config;

    Admission(TransportConfig config) {
        this.config = config;
    }

    /** True when the newcomer from {@code remote} may be served (after evicting one connection if needed). */
    boolean makeRoom(Collection<NioConnection> connections, SocketAddress remote) {
        List<NioConnection> samePeer = connections.stream()
                .filter(c -> samePeer(c.remoteAddress(), remote))
                .toList();
        if (samePeer.size() >= config.peers().maxPerPeer()) {
            return evictOldest(samePeer, "its peer's limit of " + config.peers().maxPerPeer());
        }
        if (connections.size() >= config.maxConnections()) {
            return evictOldest(List.copyOf(connections), "the limit of " + config.maxConnections());
        }
        return true;
    }

    private boolean evictOldest(List<NioConnection> candidates, String limit) {
        // First a connection without a Hello, then one whose Hello passed but whose peer never proved who it
        // is (no accepted token yet), and only then an idle authenticated one.
        NioConnection victim = candidates.stream()
                .filter(c -> !c.greeted() && c.evictable())
                .min(Comparator.comparingLong(NioConnection::id))
                .or(() -> candidates.stream()
                        .filter(c -> !c.isAuthenticated() && c.evictable())
                        .min(Comparator.comparingLong(NioConnection::id)))
                .or(() -> candidates.stream()
                        .filter(NioConnection::evictable)
                        .min(Comparator.comparingLong(NioConnection::id)))
                .orElse(null);
        if (victim == null) {
            return false;
        }
        LOG.log(
                Level.INFO,
                "[conn {0}] closed to make room for a new connection ({1}: at {2})",
                victim.id(),
                !victim.greeted() ? "no Hello yet" : victim.isAuthenticated() ? "idle" : "not authenticated",
                limit);
        victim.closeNow();
        return true;
    }

    private static boolean samePeer(SocketAddress a, SocketAddress b) {
        if (a instanceof InetSocketAddress x && b instanceof InetSocketAddress y) {
            return Objects.equals(x.getAddress(), y.getAddress());
        }
        return false;
    }
}
