package org.clusterbackup.core.net;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * Settings of a listening endpoint, fixed once it starts.
 *
 * @param listen address to bind; port 0 picks a free one
 * @param role the role this endpoint announces in its {@code Hello}
 * @param acceptedRoles roles allowed to connect; others get an {@code Error} and a close
 * @param maxConnections connections served at once; one more first evicts the oldest connection that is
 *        not greeted yet or idle, and gets {@code BUSY} and a close when there is none
 * @param idleTimeout a connection silent for this long, with no request in progress, is closed
 * @param keepAliveInterval while a request is in progress and nothing else was sent for this long, a
 *        keep-alive frame is sent so that the peer's read timeout measures silence, not work
 * @param limits frame size limits of what this endpoint sends
 * @param peers what peers may hold and how long they may stall
 * @param clock the time the deadlines are measured by
 * @param tls TLS of every connection, or null for plaintext (the product always sets it; transport tests
 *        may not)
 */
public record TransportConfig(
        InetSocketAddress listen,
        String role,
        Set<String> acceptedRoles,
        int maxConnections,
        Duration idleTimeout,
        Duration keepAliveInterval,
        ProtocolLimits limits,
        PeerLimits peers,
        Clock clock,
        TlsSettings tls) {
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

    public TransportConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(role, "role");
        acceptedRoles = Set.copyOf(acceptedRoles);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(clock, "clock");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        if (idleTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("idleTimeout cannot be less than 100ms, was " + idleTimeout);
        }
        if (keepAliveInterval.isNegative()
                || keepAliveInterval.isZero()
                || keepAliveInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("keepAliveInterval must be positive and below idleTimeout ("
                    + idleTimeout + "), was " + keepAliveInterval);
        }
    }

    /** Defaults for everything but the address, role and accepted peer roles; requests as on the control plane. */
    public static TransportConfig of(InetSocketAddress listen, String role, Set<String> acceptedRoles) {
        return new TransportConfig(
                listen,
                role,
                acceptedRoles,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_KEEP_ALIVE,
                ProtocolLimits.DEFAULT,
                PeerLimits.of(PeerLimits.CONTROL_REQUESTS),
                Clock.systemUTC(),
                null);
    }

    public TransportConfig withMaxConnections(int max) {
        return new TransportConfig(
                listen, role, acceptedRoles, max, idleTimeout, keepAliveInterval, limits, peers, clock, tls);
    }

    public TransportConfig withTimeouts(Duration idle, Duration keepAlive) {
        return new TransportConfig(
                listen, role, acceptedRoles, maxConnections, idle, keepAlive, limits, peers, clock, tls);
    }

    public TransportConfig withPeers(PeerLimits p) {
        return new TransportConfig(
                listen, role, acceptedRoles, maxConnections, idleTimeout, keepAliveInterval, limits, p, clock, tls);
    }

    public TransportConfig withClock(Clock c) {
        return new TransportConfig(
                listen, role, acceptedRoles, maxConnections, idleTimeout, keepAliveInterval, limits, peers, c, tls);
    }

    /** Every connection speaks TLS 1.3 with these settings; a plaintext peer gets a closed socket. */
    public TransportConfig withTls(TlsSettings settings) {
        return new TransportConfig(
                listen,
                role,
                acceptedRoles,
                maxConnections,
                idleTimeout,
                keepAliveInterval,
                limits,
                peers,
                clock,
                Objects.requireNonNull(settings, "settings"));
    }
}
