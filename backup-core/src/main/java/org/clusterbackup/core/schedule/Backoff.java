package org.clusterbackup.core.schedule;

import java.time.Duration;

/**
 * Waits between probes of an unreachable node: {@code initial}, doubling, up to {@code max}; both
 * shortened to the period of the node's targets, so a target probed while retrying is never tried less
 * often than its schedule would have tried it.
 */
record Backoff(Duration initial, Duration max) {
    /** The wait after {@code previous}, or the first wait when {@code previous} is null. */
    Duration next(Duration previous, Duration period) {
        Duration low = min(initial, period);
        Duration cap = cap(period);
        if (previous == null || previous.compareTo(low) < 0) {
            return low;
        }
        // Checked before doubling so a huge retryMax cannot overflow Duration.
        if (previous.compareTo(cap) >= 0) {
            return cap;
        }
        return min(previous.multipliedBy(2), cap);
    }

    /** The longest wait for targets of this period. */
    Duration cap(Duration period) {
        return min(max, period);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
