package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The body of the scheduler's own thread: a pass whenever the earliest due time comes or the scheduler
 * signals a change, until it is closed. It waits on the scheduler's lock and condition, so a change
 * signalled between a pass and the wait is never missed ({@code wakeRequested}).
 */
final class SchedulerTimer implements Runnable {
    private static final System.Logger LOG = System.getLogger(SchedulerTimer.class.getName());
    /** The timer re-reads the clock at least this often, so a step of the wall clock is noticed. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** After a failed pass the timer waits this long, so a persistent bug is logged, not spun on. */
    private static final Duration PAUSE_AFTER_FAILED_PASS = Duration.ofSeconds(1);

    private final Clock clock;
    private final ReentrantLock lock;
    private final Condition changed;
    private final Supplier<Optional<Instant>> pass;
    private final BooleanSupplier closed;
    private final BooleanSupplier wakeRequested;

    /**
     * @param pass runs due work, returns when to look again (empty: only a signal can make work due)
     * @param closed read under the lock: the timer ends
     * @param wakeRequested read under the lock: something changed since the pass began, so pass again now
     */
    SchedulerTimer(
            Clock clock,
            ReentrantLock lock,
            Condition changed,
            Supplier<Optional<Instant>> pass,
            BooleanSupplier closed,
            BooleanSupplier wakeRequested) {
        this.clock = clock;
        this.lock = lock;
        this.changed = changed;
        this.pass = pass;
        this.closed = closed;
        this.wakeRequested = wakeRequested;
    }

    @Override
    public void run() {
        LOG.log(Level.DEBUG, "scheduler timer started");
        while (true) {
            Optional<Instant> next;
            try {
                next = pass.get();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "scheduler pass failed; trying again in " + PAUSE_AFTER_FAILED_PASS, e);
                next = Optional.of(clock.instant().plus(PAUSE_AFTER_FAILED_PASS));
            }
            lock.lock();
            try {
                if (closed.getAsBoolean()) {
                    LOG.log(Level.DEBUG, "scheduler timer stopped");
                    return;
                }
                if (!wakeRequested.getAsBoolean()) {
                    long nanos = next.map(this::nanosUntil).orElse(MAX_WAIT_NANOS);
                    if (nanos > 0) {
                        changed.awaitNanos(nanos);
                    }
                }
            } catch (InterruptedException e) {
                // Only close() may stop this thread, and it does so with the flag, not an interrupt.
                LOG.log(Level.WARNING, "scheduler timer interrupted; it keeps running until the scheduler is closed");
            } finally {
                lock.unlock();
            }
        }
    }

    private long nanosUntil(Instant when) {
        Duration d = Duration.between(clock.instant(), when);
        if (d.isNegative()) {
            return 0;
        }
        return Math.min(saturatedNanos(d), MAX_WAIT_NANOS);
    }

    /** The duration in nanoseconds, at most a year: {@link Duration#toNanos} overflows past 292 years. */
    static long saturatedNanos(Duration d) {
        return d.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : d.toNanos();
    }
}
