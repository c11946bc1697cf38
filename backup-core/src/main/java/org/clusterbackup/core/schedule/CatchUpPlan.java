package org.clusterbackup.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each target the catalog remembers resumes at start-up: next run at last start + period; those that
 * fell due while the server was down run once, spread over {@link SchedulerConfig#catchUpSpread()} in due
 * order; those that never ran start within {@link SchedulerConfig#firstRunSpread()}; those whose last run
 * found the node unreachable go back to probing it.
 *
 * @param entries every restored target's entry, in the order given
 * @param queued the entries for the due queue, their due times set
 * @param retrying the entries whose node is to be probed at once, in the order given
 * @param overdue how many of {@code queued} fell due while the server was down
 * @param neverRun how many of {@code queued} never ran
 */
record CatchUpPlan(
        List<ScheduleEntry> entries,
        List<ScheduleEntry> queued,
        List<ScheduleEntry> retrying,
        int overdue,
        int neverRun) {

    /** @throws IllegalArgumentException a target id appears twice */
    static CatchUpPlan of(Collection<RestoredTarget> restored, Instant now, SchedulerConfig config) {
        Set<Long> ids = new HashSet<>();
        List<ScheduleEntry> entries = new ArrayList<>();
        List<ScheduleEntry> queued = new ArrayList<>();
        List<ScheduleEntry> retrying = new ArrayList<>();
        List<ScheduleEntry> overdue = new ArrayList<>();
        List<ScheduleEntry> neverRun = new ArrayList<>();
        for (RestoredTarget r : restored) {
            ScheduledTarget target = r.target();
            if (!ids.add(target.id())) {
                throw new IllegalArgumentException("[target " + target.id() + "] restored twice");
            }
            ScheduleEntry e = new ScheduleEntry(target);
            entries.add(e);
            if (r.lastStart() == null) {
                e.nextDue = now;
                neverRun.add(e);
                continue;
            }
            // A last start in the future means the clock was set back since; counting from it would
            // silence the target for that long.
            Instant base = r.lastStart().isAfter(now) ? now : r.lastStart();
            e.scheduleBase = base;
            e.nextDue = base.plus(target.every());
            if (r.lastResult().unreachable()) {
                // The catalog keeps no probe history, so probe at once rather than guess how long it was down.
                retrying.add(e);
            } else if (e.nextDue.isAfter(now)) {
                queued.add(e);
            } else {
                overdue.add(e);
            }
        }
        overdue.sort(ScheduleEntry.BY_DUE);
        spread(overdue, now, config.catchUpSpread());
        queued.addAll(overdue);
        neverRun.sort(ScheduleEntry.BY_DUE);
        spread(neverRun, now.plus(config.firstRunDelay()), config.firstRunSpread());
        queued.addAll(neverRun);
        return new CatchUpPlan(
                List.copyOf(entries), List.copyOf(queued), List.copyOf(retrying), overdue.size(), neverRun.size());
    }

    /**
     * Gives the entries evenly spaced due times over {@code [from, from + over)} in their current order:
     * deterministic, distinct, and with the longest-waiting first, so a server that was down does not dial
     * every overdue node in the same instant.
     */
    private static void spread(List<ScheduleEntry> list, Instant from, Duration over) {
        int n = list.size();
        // With no spread, keep the due times (all past): the queue then keeps them in due order.
        if (over.isZero()) {
            return;
        }
        for (int i = 0; i < n; i++) {
            list.get(i).nextDue = from.plus(over.multipliedBy(i).dividedBy(n));
        }
    }
}
