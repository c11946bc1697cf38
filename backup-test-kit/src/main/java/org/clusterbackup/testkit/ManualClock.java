package org.clusterbackup.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until the test moves it; safe to read from any thread. Always UTC. */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;

    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** A clock an hour ahead of real time: every file a test just wrote is old enough to trust. */
    public static ManualClock hourAhead() {
        return new ManualClock(Instant.now().plus(Duration.ofHours(1)));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Sets the time, forwards or backwards. */
    public void set(Instant instant) {
        now.set(instant);
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    /** Moves to {@code t}, or stays when the clock is already past it: never backwards. */
    public void moveTo(Instant t) {
        now.updateAndGet(current -> t.isAfter(current) ? t : current);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: code under test reads instants, and a zone would not change them. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
