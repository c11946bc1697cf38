package org.clusterbackup.core.schedule;

import java.time.Duration;
import java.util.concurrent.locks.Condition;

/**
 * The runs a {@link BackupScheduler} has dispatched: how many hold a run slot, and how many have not yet
 * completed their future, which {@link BackupScheduler#close} waits for. Not thread-safe: every method is
 * called with the scheduler's lock held (the one {@code idle} belongs to).
 */
final class RunsInFlight {
    private final Condition idle;
    /** Runs holding a slot: dispatched and not yet ended. */
    private int running;
    /** Runs dispatched whose future is not yet completed; outlives {@link #running} by a moment. */
    private int unfinished;

    RunsInFlight(Condition idle) {
        this.idle = idle;
    }

    boolean slotFree(int maxConcurrentRuns) {
        return running < maxConcurrentRuns;
    }

    void dispatched() {
        running++;
        unfinished++;
    }

    /** The run has ended and its result is in the schedule: its slot is free. */
    void ended() {
        running--;
    }

    /** Its waiters have its result: nothing of it is left. */
    void completed() {
        if (--unfinished == 0) {
            idle.signalAll();
        }
    }

    int unfinished() {
        return unfinished;
    }

    /**
     * Waits, releasing the lock meanwhile, until every dispatched run has completed or {@code timeout} passed.
     *
     * @return false when interrupted while waiting (the thread's interrupt is then the caller's to restore)
     */
    boolean await(Duration timeout) {
        long nanos = SchedulerTimer.saturatedNanos(timeout);
        try {
            while (unfinished > 0 && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
