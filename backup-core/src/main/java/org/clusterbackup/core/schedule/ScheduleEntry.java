package org.clusterbackup.core.schedule;

import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetState;

/**
 * One target's mutable place in the schedule. Guarded by the scheduler's lock; never handed out.
 *
 * <p>At any time a live entry is in exactly one of: the due queue (waiting for {@link #nextDue} or a slot),
 * the manual queue, its probe loop's waiting set, or running.
 */
final class ScheduleEntry {
    /**
     * Due-queue order. {@link #nextDue} is part of the key, so it changes only while the entry is out of
     * the queue; the id breaks ties so two entries never compare equal.
     */
    static final Comparator<ScheduleEntry> BY_DUE =
            Comparator.comparing((ScheduleEntry e) -> e.nextDue).thenComparingLong(e -> e.id);

    final long id;
    ScheduledTarget target;
    /** When it should run next; never null. In the past while it waits for a free slot. */
    Instant nextDue;
    /** What to pass to the run started from the due queue: SCHEDULE, or RETRY after its node answered. */
    RunTrigger queuedTrigger = RunTrigger.SCHEDULE;
    /** Start of the run that set {@link #nextDue}; null until it first ran. Lets a new period reschedule. */
    Instant scheduleBase;

    boolean running;
    /** The run in progress, which {@code runNow} joins. */
    CompletableFuture<RunResult> currentRun;
    /** A manual run waiting for a slot, and when it was asked for. */
    CompletableFuture<RunResult> manualRequest;

    Instant manualRequestedAt;
    /** The loop probing its node while it is RETRYING; null otherwise. */
    ProbeLoop probeLoop;
    /** Unregistered while a run was in progress: kept only until that run ends. */
    boolean removed;
    /** Registered again while the run of its previous registration was in progress: run again when it ends. */
    boolean rerunWhenDone;

    ScheduleEntry(ScheduledTarget target) {
        this.id = target.id();
        this.target = target;
    }

    TargetStatus status() {
        if (running) {
            return new TargetStatus(TargetState.RUNNING, null);
        }
        TargetState state = probeLoop != null ? TargetState.RETRYING : TargetState.SCHEDULED;
        if (manualRequest != null) {
            return new TargetStatus(state, manualRequestedAt);
        }
        if (probeLoop != null && probeLoop.waiting.contains(this)) {
            return new TargetStatus(state, probeLoop.nextProbeAt);
        }
        return new TargetStatus(state, nextDue);
    }

    String tag() {
        return "[target " + id + "]";
    }
}
