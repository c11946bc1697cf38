package org.clusterbackup.core.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BackupScheduler} paces its work, fixed when it is created.
 *
 * @param maxConcurrentRuns runs in progress at once across all targets; the rest wait in due order
 * @param maxConcurrentProbes probes in progress at once; bounds the threads a wide outage can hold
 * @param retryInitial the first wait before probing an unreachable node (shortened to the period of the
 *        node's waiting targets when that is shorter)
 * @param retryMax the longest wait between probes (likewise shortened to the period)
 * @param catchUpSpread at start-up, targets that fell due while the server was down start spread over this
 *        long, so they do not all dial out in the same instant
 * @param firstRunSpread at start-up, targets that never ran start spread over this long
 * @param closeTimeout how long {@link BackupScheduler#close} waits for runs in progress
 * @param firstRunDelay how long a new target, or one that never ran, waits for its first run (0: at once)
 */
public record SchedulerConfig(
        int maxConcurrentRuns,
        int maxConcurrentProbes,
        Duration retryInitial,
        Duration retryMax,
        Duration catchUpSpread,
        Duration firstRunSpread,
        Duration closeTimeout,
        Duration firstRunDelay) {
    public static final int DEFAULT_MAX_CONCURRENT_RUNS = 4;
    public static final int DEFAULT_MAX_CONCURRENT_PROBES = 16;
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CATCH_UP_SPREAD = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FIRST_RUN_SPREAD = Duration.ofSeconds(2);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    public SchedulerConfig {
        if (maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, was " + maxConcurrentRuns);
        }
        if (maxConcurrentProbes < 1) {
            throw new IllegalArgumentException("maxConcurrentProbes must be at least 1, was " + maxConcurrentProbes);
        }
        positive(retryInitial, "retryInitial");
        positive(retryMax, "retryMax");
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException(
                    "retryMax cannot be less than retryInitial (" + retryInitial + "), was " + retryMax);
        }
        notNegative(catchUpSpread, "catchUpSpread");
        notNegative(firstRunSpread, "firstRunSpread");
        notNegative(closeTimeout, "closeTimeout");
        notNegative(firstRunDelay, "firstRunDelay");
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(
                DEFAULT_MAX_CONCURRENT_RUNS,
                DEFAULT_MAX_CONCURRENT_PROBES,
                DEFAULT_RETRY_INITIAL,
                DEFAULT_RETRY_MAX,
                DEFAULT_CATCH_UP_SPREAD,
                DEFAULT_FIRST_RUN_SPREAD,
                DEFAULT_CLOSE_TIMEOUT,
                Duration.ZERO);
    }

    public SchedulerConfig withMaxConcurrentRuns(int max) {
        return new SchedulerConfig(
                max,
                maxConcurrentProbes,
                retryInitial,
                retryMax,
                catchUpSpread,
                firstRunSpread,
                closeTimeout,
                firstRunDelay);
    }

    public SchedulerConfig withMaxConcurrentProbes(int max) {
        return new SchedulerConfig(
                maxConcurrentRuns,
                max,
                retryInitial,
                retryMax,
                catchUpSpread,
                firstRunSpread,
                closeTimeout,
                firstRunDelay);
    }

    public SchedulerConfig withRetry(Duration initial, Duration max) {
        return new SchedulerConfig(
                maxConcurrentRuns,
                maxConcurrentProbes,
                initial,
                max,
                catchUpSpread,
                firstRunSpread,
                closeTimeout,
                firstRunDelay);
    }

    public SchedulerConfig withCloseTimeout(Duration timeout) {
        return new SchedulerConfig(
                maxConcurrentRuns,
                maxConcurrentProbes,
                retryInitial,
                retryMax,
                catchUpSpread,
                firstRunSpread,
                timeout,
                firstRunDelay);
    }

    public SchedulerConfig withFirstRunDelay(Duration delay) {
        return new SchedulerConfig(
                maxConcurrentRuns,
                maxConcurrentProbes,
                retryInitial,
                retryMax,
                catchUpSpread,
                firstRunSpread,
                closeTimeout,
                delay);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative, was " + d);
        }
    }
}
