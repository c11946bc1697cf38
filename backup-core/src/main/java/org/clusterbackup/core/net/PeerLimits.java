package org.clusterbackup.core.net;

import java.time.Duration;
import java.util.Objects;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * What a listener grants the peers it does not trust yet, or that stop cooperating. Each bound exists
 * because a cheap trick once took a listener down (see docs/RELIABILITY.md).
 *
 * @param requestLimits frame limits for what peers send once greeted; far below what this side may send
 *        them (a request is small, a page of answers is not)
 * @param partialFrameBudget bytes of partly received frames held at once, over all connections of the
 *        listener; the connection that would exceed it gets {@code BUSY} and a close
 * @param maxPerPeer connections from one IP address at once
 * @param handshakeTimeout a connection that has not completed its {@code Hello} by then is closed
 * @param sendTimeout a connection whose unsent frames do not drain for this long (the peer stopped
 *        reading) is closed, which frees whatever its handler holds
 */
public record PeerLimits(
        ProtocolLimits requestLimits,
        long partialFrameBudget,
        int maxPerPeer,
        Duration handshakeTimeout,
        Duration sendTimeout) {
    /** Control requests (register, list, run...) are a few hundred bytes; a path is at most a few KiB. */
    public static final ProtocolLimits CONTROL_REQUESTS = new ProtocolLimits(64 * 1024, ProtocolLimits.DATA_CHUNK);
    /** What a server sends an agent: small JSON requests, and 64 KiB {@code Data} chunks of a restore. */
    public static final ProtocolLimits DATA_REQUESTS =
            new ProtocolLimits(64 * 1024, ProtocolLimits.DEFAULT.maxDataPayload());

    public static final long DEFAULT_PARTIAL_FRAME_BUDGET = 32L * 1024 * 1024;
    public static final int DEFAULT_MAX_PER_PEER = 64;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(60);

    public PeerLimits {
        Objects.requireNonNull(requestLimits, "requestLimits");
        long largest = Math.max(requestLimits.maxJsonPayload(), requestLimits.maxDataPayload());
        if (partialFrameBudget < largest) {
            throw new IllegalArgumentException("partialFrameBudget must hold at least one largest frame (" + largest
                    + " bytes), was " + partialFrameBudget);
        }
        if (maxPerPeer < 1) {
            throw new IllegalArgumentException("maxPerPeer must be at least 1, was " + maxPerPeer);
        }
        if (handshakeTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("handshakeTimeout cannot be less than 100ms, was " + handshakeTimeout);
        }
        if (sendTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("sendTimeout cannot be less than 100ms, was " + sendTimeout);
        }
    }

    /** Defaults with the given request limits. */
    public static PeerLimits of(ProtocolLimits requestLimits) {
        return new PeerLimits(
                requestLimits,
                DEFAULT_PARTIAL_FRAME_BUDGET,
                DEFAULT_MAX_PER_PEER,
                DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_SEND_TIMEOUT);
    }

    public PeerLimits withSendTimeout(Duration timeout) {
        return new PeerLimits(requestLimits, partialFrameBudget, maxPerPeer, handshakeTimeout, timeout);
    }

    public PeerLimits withPartialFrameBudget(long bytes) {
        return new PeerLimits(requestLimits, bytes, maxPerPeer, handshakeTimeout, sendTimeout);
    }

    public PeerLimits withMaxPerPeer(int max) {
        return new PeerLimits(requestLimits, partialFrameBudget, max, handshakeTimeout, sendTimeout);
    }
}
