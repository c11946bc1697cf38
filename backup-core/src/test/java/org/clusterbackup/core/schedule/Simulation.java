package org.clusterbackup.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.clusterbackup.testkit.ManualClock;
import org.clusterbackup.testkit.QueuedExecutor;

/**
 * Drives a threadless scheduler the way its timer thread would, in simulated time: start what is due,
 * run the started tasks, and jump the clock straight to the next time the scheduler asks to be woken.
 * Hours pass in milliseconds and nothing sleeps.
 */
final class Simulation {
    static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");

    final ManualClock clock = new ManualClock(T0);
    final QueuedExecutor executor = new QueuedExecutor();
    final FakeRuns runs = new FakeRuns(clock);
    final FakeProber prober = new FakeProber(clock);
    BackupScheduler scheduler;
    /** How many times the clock was moved to a wake-up time. */
    int wakeups;

    Simulation start(SchedulerConfig config, List<RestoredTarget> restored) {
        scheduler = BackupScheduler.create(config, runs, prober, executor, clock, restored);
        return this;
    }

    Simulation start(SchedulerConfig config) {
        return start(config, List.of());
    }

    /** Starts and runs everything due now, until nothing more can start. */
    Optional<Instant> settle() {
        while (true) {
            Optional<Instant> next = scheduler.runDue();
            if (executor.runAll() == 0) {
                return next;
            }
        }
    }

    void advanceTo(Instant until) {
        Optional<Instant> next = settle();
        while (next.isPresent() && !next.get().isAfter(until)) {
            clock.moveTo(next.get());
            wakeups++;
            next = settle();
        }
        clock.moveTo(until);
        settle();
    }

    void advanceBy(Duration d) {
        advanceTo(clock.instant().plus(d));
    }

    Instant now() {
        return clock.instant();
    }

    static ScheduledTarget target(long id, Duration every) {
        return target(id, "node" + id, every);
    }

    static ScheduledTarget target(long id, String node, Duration every) {
        return new ScheduledTarget(id, node, 7070, "/srv/app" + id, every);
    }

    static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }
}
