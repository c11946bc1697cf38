package org.clusterbackup.core.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing: each failed authentication from a peer address makes that address's next refusal
 * wait longer (doubling from {@link #FIRST}, capped at {@link #CAP}). Never a lockout: a valid token is
 * served at once whatever came before, and an address quiet for {@link #FORGET_AFTER} starts afresh.
 */
final class AuthThrottle {
    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration CAP = Duration.ofSeconds(3);
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    /** Addresses remembered at most; the oldest is forgotten first, so a flood cannot grow the map. */
    private static final int MAX_PEERS = 10_000;

    private record Failures(int count, Instant last) {}

    private final Clock clock;
    private final Map<String, Failures> byPeer = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_PEERS;
        }
    };

    AuthThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Records a failure from {@code peer} and returns how long to wait before answering it. */
    synchronized Duration failed(String peer) {
        Instant now = clock.instant();
        Failures before = byPeer.get(peer);
        int count = before == null || before.last().plus(FORGET_AFTER).isBefore(now) ? 1 : before.count() + 1;
        byPeer.put(peer, new Failures(count, now));
        Duration delay = FIRST.multipliedBy(1L << Math.min(count - 1, 20));
        return delay.compareTo(CAP) > 0 ? CAP : delay;
    }
}
