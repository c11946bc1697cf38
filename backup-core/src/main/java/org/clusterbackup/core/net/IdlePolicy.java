package org.clusterbackup.core.net;

/**
 * What the housekeeping of one connection does, from its state and the time: the deadlines of the
 * handshake, of silence, of a peer that stops reading, and the keep-alives of a busy connection. A pure
 * function of its inputs, so each deadline is tested with a manual clock.
 */
final class IdlePolicy {
    /** An error being flushed gets at most this long: a peer that does not read it loses the socket. */
    private static final long ERROR_FLUSH_MILLIS = 10_000;

    enum Verdict {
        NONE,
        /** Busy and quiet: tell the peer we are alive. */
        KEEP_ALIVE,
        /** No {@code Hello} in time. */
        HANDSHAKE_EXPIRED,
        /** Silent, with nothing in progress, past the idle timeout. */
        IDLE,
        /** Frames wait and the peer has not taken any for the send timeout. */
        STALLED,
        /** An error was queued and the peer does not read it. */
        ERROR_UNREAD
    }

    /**
     * The state of one connection, as housekeeping sees it. {@code lastRequestMillis} is when the peer last
     * sent something other than a keep-alive: keep-alives show a peer is alive, not that it uses its place.
     */
    record State(
            boolean greeted,
            boolean closing,
            boolean busy,
            long acceptedMillis,
            long lastReadMillis,
            long lastRequestMillis,
            long lastWriteMillis) {}

    private final TransportConfig config;

    IdlePolicy(TransportConfig config) {
        this.config = config;
    }

    Verdict judge(State s, WriteGate out, long now) {
        if (s.closing()) {
            long flush = Math.min(config.idleTimeout().toMillis(), ERROR_FLUSH_MILLIS);
            return now - s.lastWriteMillis() > flush ? Verdict.ERROR_UNREAD : Verdict.NONE;
        }
        // Checked before "busy": a handler blocked on a peer that stopped reading is busy for ever.
        if (out.stalled(now, config.peers().sendTimeout().toMillis())) {
            return Verdict.STALLED;
        }
        if (!s.greeted()) {
            return now - s.acceptedMillis() > handshakeDeadline().toMillis() ? Verdict.HANDSHAKE_EXPIRED : Verdict.NONE;
        }
        if (s.busy()) {
            return now - s.lastWriteMillis() > config.keepAliveInterval().toMillis() && out.isEmpty()
                    ? Verdict.KEEP_ALIVE
                    : Verdict.NONE;
        }
        long silent = now - Math.max(s.lastReadMillis(), s.lastWriteMillis());
        return silent > config.idleTimeout().toMillis() ? Verdict.IDLE : Verdict.NONE;
    }

    /** The TLS handshake and Hello together; a listener with a shorter idle timeout holds them to that. */
    java.time.Duration handshakeDeadline() {
        return config.peers().handshakeTimeout().compareTo(config.idleTimeout()) <= 0
                ? config.peers().handshakeTimeout()
                : config.idleTimeout();
    }

    /**
     * True when the connection may be closed to make room for a newcomer: it never completed its
     * {@code Hello}, or it has nothing in progress and has sent no request (keep-alives do not count) and
     * been sent nothing for a keep-alive interval.
     */
    boolean evictable(State s, WriteGate out, boolean inboxEmpty, long now) {
        if (s.closing()) {
            return false; // already going
        }
        if (!s.greeted()) {
            return true;
        }
        long silent = now - Math.max(s.lastRequestMillis(), s.lastWriteMillis());
        return !s.busy()
                && inboxEmpty
                && out.isEmpty()
                && silent >= config.keepAliveInterval().toMillis();
    }
}
