package org.clusterbackup.core.agent;

import java.time.Duration;
import java.util.Objects;
import org.clusterbackup.core.restore.RestoreLimits;

/**
 * How an agent bounds the restores it runs.
 *
 * @param limits what one restore may write ({@code --restore-max-files}, {@code --restore-max-bytes},
 *        {@code --restore-setid})
 * @param maxConcurrent restores running at once on this agent, over all connections; one more is answered
 *        {@code BUSY}. Each runs on a thread of a pool of this size
 * @param idleTimeout a restore whose stream brings no data for this long (or whose extractor takes none) is
 *        abandoned, and what it wrote removed
 */
public record RestoreSettings(RestoreLimits limits, int maxConcurrent, Duration idleTimeout) {
    public static final int DEFAULT_MAX_CONCURRENT = 4;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);
    public static final RestoreSettings DEFAULT =
            new RestoreSettings(RestoreLimits.DEFAULT, DEFAULT_MAX_CONCURRENT, DEFAULT_IDLE_TIMEOUT);

    public RestoreSettings {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
        }
        if (idleTimeout.toMillis() < 10) {
            throw new IllegalArgumentException("idleTimeout cannot be less than 10ms, was " + idleTimeout);
        }
    }

    public RestoreSettings withLimits(RestoreLimits newLimits) {
        return new RestoreSettings(newLimits, maxConcurrent, idleTimeout);
    }

    /**
     * With what one restore may write: at most {@code maxEntries} entries and {@code maxBytes} bytes of file
     * content ({@link Long#MAX_VALUE} for no limit of its own), setuid and setgid bits kept only when
     * {@code restoreSetid}.
     */
    public RestoreSettings withLimits(long maxEntries, long maxBytes, boolean restoreSetid) {
        return withLimits(new RestoreLimits(maxEntries, maxBytes, restoreSetid));
    }

    public RestoreSettings withMaxConcurrent(int max) {
        return new RestoreSettings(limits, max, idleTimeout);
    }

    public RestoreSettings withIdleTimeout(Duration timeout) {
        return new RestoreSettings(limits, maxConcurrent, timeout);
    }
}
