package org.clusterbackup.core.server.api;

import java.time.Duration;

/**
 * Bounds on one backup run, so that a peer answering with keep-alives alone, or streaming without end,
 * cannot hold a run slot for as long as it likes.
 *
 * @param runTimeout a run still going after this long ends FAILED
 * @param stallTimeout a run without progress (archive bytes, or scan progress the agent reports) for this
 *        long ends FAILED; keep-alives alone are not progress
 * @param maxArchiveSize largest archive accepted, in bytes; 0 for unlimited
 */
public record RunLimits(Duration runTimeout, Duration stallTimeout, long maxArchiveSize) {
    public static final RunLimits DEFAULTS = new RunLimits(Duration.ofHours(6), Duration.ofMinutes(5), 0);

    public RunLimits {
        if (runTimeout.isNegative() || runTimeout.isZero()) {
            throw new IllegalArgumentException("runTimeout must be positive, was " + runTimeout);
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, was " + stallTimeout);
        }
        if (maxArchiveSize < 0) {
            throw new IllegalArgumentException(
                    "maxArchiveSize cannot be negative (0 is unlimited), was " + maxArchiveSize);
        }
    }

    public boolean unlimitedSize() {
        return maxArchiveSize == 0;
    }
}
