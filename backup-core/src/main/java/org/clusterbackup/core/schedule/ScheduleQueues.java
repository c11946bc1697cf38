package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;

/**
 * Where every target waits, and what an ended run, an ended probe or new settings change about that. Not
 * thread-safe: every method is called with the {@link BackupScheduler}'s lock held; the scheduler decides
 * when to start work, this decides where each target goes next.
 */
final class ScheduleQueues {
    private static final System.Logger LOG = System.getLogger(ScheduleQueues.class.getName());

    final Map<Long, ScheduleEntry> entries = new HashMap<>();
    final NavigableSet<ScheduleEntry> dueQueue = new TreeSet<>(ScheduleEntry.BY_DUE);
    final Deque<ScheduleEntry> manualQueue = new ArrayDeque<>();
    final ProbeLoops probeLoops;

    ScheduleQueues(ProbeLoops probeLoops) {
        this.probeLoops = probeLoops;
    }

    /** A run to start: its target, why it runs, and the future its waiters hold. */
    record Start(ScheduleEntry entry, RunTrigger trigger, CompletableFuture<RunResult> future) {}

    /**
     * Takes the next run to start by {@code now}, a manual one first, then the earliest due, and marks its
     * target running; null when none is due.
     */
    Start startNext(Instant now) {
        ScheduleEntry e;
        RunTrigger trigger;
        CompletableFuture<RunResult> future;
        if (!manualQueue.isEmpty()) {
            e = manualQueue.poll();
            trigger = RunTrigger.MANUAL;
            future = e.manualRequest;
            e.manualRequest = null;
            e.manualRequestedAt = null;
        } else if (!dueQueue.isEmpty() && !dueQueue.first().nextDue.isAfter(now)) {
            e = dueQueue.pollFirst();
            trigger = e.queuedTrigger;
            future = new CompletableFuture<>();
        } else {
            return null;
        }
        e.running = true;
        e.currentRun = future;
        return new Start(e, trigger, future);
    }

    /**
     * Schedules a target: a new one first runs {@code firstRunDelay} from now; one unregistered while its
     * run goes on runs again when that ends; one already scheduled takes its new settings.
     */
    void add(ScheduledTarget target, Instant now, Duration firstRunDelay) {
        ScheduleEntry e = entries.get(target.id());
        if (e == null) {
            e = new ScheduleEntry(target);
            e.nextDue = now.plus(firstRunDelay);
            entries.put(e.id, e);
            dueQueue.add(e);
            // DEBUG: the control plane already logs the registration itself.
            LOG.log(
                    Level.DEBUG,
                    "{0} scheduled {1} every {2}, first run at {3}",
                    e.tag(),
                    target.label(),
                    ScheduledTarget.brief(target.every()),
                    e.nextDue);
        } else if (e.removed) {
            // Its previous registration is still running: one run per target, so the new one waits for it.
            e.removed = false;
            e.target = target;
            e.rerunWhenDone = true;
            LOG.log(
                    Level.INFO,
                    "{0} registered again while its last run is in progress; runs again when that ends",
                    e.tag());
        } else {
            update(e, target, now);
        }
    }

    /**
     * Queues a manual run of a target that is not running, ahead of the due queue, unless one waits already.
     *
     * @return true when it was queued now
     */
    boolean queueManual(ScheduleEntry e, Instant now) {
        if (e.manualRequest != null) {
            return false;
        }
        dueQueue.remove(e);
        if (e.probeLoop != null) {
            probeLoops.stopWaiting(e);
        }
        e.manualRequest = new CompletableFuture<>();
        e.manualRequestedAt = now;
        manualQueue.add(e);
        return true;
    }

    /**
     * Takes an unscheduled target out of every queue. A run in progress finishes, and nothing follows it.
     *
     * @return its manual run that was waiting for a slot, for the caller to cancel; or null
     */
    CompletableFuture<RunResult> drop(ScheduleEntry e) {
        CompletableFuture<RunResult> cancelled = null;
        dueQueue.remove(e);
        if (e.manualRequest != null) {
            manualQueue.remove(e);
            cancelled = e.manualRequest;
            e.manualRequest = null;
            e.manualRequestedAt = null;
        }
        if (e.probeLoop != null) {
            probeLoops.leave(e);
        }
        e.rerunWhenDone = false;
        if (e.running) {
            e.removed = true;
            LOG.log(Level.INFO, "{0} unscheduled while running: the run finishes, no other follows", e.tag());
        } else {
            entries.remove(e.id);
            LOG.log(Level.DEBUG, "{0} unscheduled", e.tag());
        }
        return cancelled;
    }

    /** The targets whose run is in progress, ascending. */
    List<Long> runningIds() {
        return entries.values().stream()
                .filter(e -> e.running)
                .map(e -> e.id)
                .sorted()
                .toList();
    }

    /** Empties the manual queue; returns the runs that waited in it, for the caller to cancel. */
    List<CompletableFuture<RunResult>> dropManualRuns() {
        List<CompletableFuture<RunResult>> cancelled = new ArrayList<>();
        for (ScheduleEntry e : manualQueue) {
            cancelled.add(e.manualRequest);
            e.manualRequest = null;
            e.manualRequestedAt = null;
        }
        manualQueue.clear();
        return cancelled;
    }

    /** A scheduled target's new settings: a new period counts from its last start, a new address is tried now. */
    void update(ScheduleEntry e, ScheduledTarget target, Instant now) {
        ScheduledTarget old = e.target;
        e.target = target;
        if (old.equals(target)) {
            return;
        }
        LOG.log(Level.DEBUG, "{0} now {1} every {2}", e.tag(), target.label(), ScheduledTarget.brief(target.every()));
        if (e.probeLoop != null && !Endpoint.of(old).equals(Endpoint.of(target))) {
            // Probes of the old address say nothing about the new one: try the new one now.
            boolean wasWaiting = e.probeLoop.waiting.contains(e);
            probeLoops.leave(e);
            if (wasWaiting) {
                e.nextDue = now;
                e.queuedTrigger = RunTrigger.SCHEDULE;
                dueQueue.add(e);
            }
        } else if (e.probeLoop != null) {
            probeLoops.tighten(e.probeLoop, now);
        } else if (!old.every().equals(target.every()) && e.scheduleBase != null) {
            boolean queued = dueQueue.remove(e);
            e.nextDue = e.scheduleBase.plus(target.every());
            if (queued) {
                dueQueue.add(e);
            }
        }
    }

    /**
     * Places a target whose run (started at {@code start}) ended at {@code end}: gone if unregistered
     * meanwhile, probing if its node was unreachable, else due again by its period.
     */
    void runEnded(ScheduleEntry e, RunTrigger trigger, Instant start, Instant end, RunResult result) {
        if (e.removed) {
            if (entries.get(e.id) == e) {
                entries.remove(e.id);
            }
            return;
        }
        boolean wasRetrying = e.probeLoop != null;
        if (result.unreachable()) {
            e.rerunWhenDone = false;
            probeLoops.join(e, end, false);
            if (!wasRetrying) {
                LOG.log(
                        Level.INFO,
                        "{0} {1} unreachable ({2}); retrying when it answers, first probe at {3}",
                        e.tag(),
                        Endpoint.of(e.target),
                        result.error(),
                        e.probeLoop.nextProbeAt);
            }
            return;
        }
        if (wasRetrying) {
            probeLoops.leave(e);
            LOG.log(Level.INFO, "{0} reached its node again ({1}): back on its schedule", e.tag(), result.outcome());
        }
        if (e.rerunWhenDone) {
            e.rerunWhenDone = false;
            e.nextDue = end;
        } else if (trigger != RunTrigger.MANUAL || wasRetrying || !e.nextDue.isAfter(end)) {
            // max(): a run longer than its period is followed at once by the next, never overlapped by it.
            Instant byPeriod = start.plus(e.target.every());
            e.nextDue = byPeriod.isAfter(end) ? byPeriod : end;
            e.scheduleBase = start;
        }
        e.queuedTrigger = RunTrigger.SCHEDULE;
        dueQueue.add(e);
        if (result.outcome() != Outcome.FAILED || result.failure() == FailureKind.REFUSED) {
            // The agent answered: its node's waiting targets need not wait for the next probe.
            queueRetries(probeLoops.reached(Endpoint.of(e.target), e.tag() + " reached it"), end);
        }
    }

    /** A probe of {@code loop}'s node ended; if it answered, its waiting targets run now. */
    void probeEnded(ProbeLoop loop, boolean answered, Instant now) {
        queueRetries(probeLoops.probeEnded(loop, answered, now), now);
    }

    /** Queues targets whose node answered again to run now, in due order with the rest. */
    private void queueRetries(List<ScheduleEntry> released, Instant now) {
        for (ScheduleEntry e : released) {
            e.nextDue = now;
            e.queuedTrigger = RunTrigger.RETRY;
            dueQueue.add(e);
        }
    }
}
