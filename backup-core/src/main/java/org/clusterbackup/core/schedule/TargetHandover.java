package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Moves targets into and out of the schedule as their claims change hands between the servers of a
 * cluster: those a server gains resume from their last run, as at start-up. Those it gives away to one under its share are the idle ones whose next run is furthest
 * away, so the next holder has the most time before it runs them. Not thread-safe: called with the
 * {@link BackupScheduler}'s lock held.
 */
final class TargetHandover {
    /** Furthest next run first; the id breaks ties, so the choice does not depend on the order given. */
    private static final Comparator<ScheduleEntry> FURTHEST_FIRST = Comparator.comparing(
                    (ScheduleEntry e) -> e.status().nextRunAt())
            .reversed()
            .thenComparingLong(e -> e.id);

    private static final System.Logger LOG = System.getLogger(TargetHandover.class.getName());

    private final ScheduleQueues queues;
    private final SchedulerConfig config;

    TargetHandover(ScheduleQueues queues, SchedulerConfig config) {
        this.queues = queues;
        this.config = config;
    }

    /**
     * Schedules targets from where the catalog left them, as {@link CatchUpPlan} says: every active one at
     * start-up, and those a server gains (claimed, taken over, given to it) later.
     *
     * @throws IllegalArgumentException a target id appears twice, or is scheduled already (one given up while
     *         its run goes on is, until that run ends); nothing was scheduled
     */
    void adopt(List<RestoredTarget> restored, Instant now) {
        for (RestoredTarget r : restored) {
            if (queues.entries.containsKey(r.target().id())) {
                // A second entry would start a second run of the target beside the one going on.
                throw new IllegalArgumentException("[target " + r.target().id() + "] is scheduled already");
            }
        }
        CatchUpPlan plan = CatchUpPlan.of(restored, now, config);
        for (ScheduleEntry e : plan.entries()) {
            queues.entries.put(e.id, e);
        }
        for (ScheduleEntry e : plan.retrying()) {
            queues.probeLoops.join(e, now, true);
        }
        queues.dueQueue.addAll(plan.queued());
        if (!restored.isEmpty()) {
            // Counts as strings: MessageFormat would print 5000 as "5,000".
            LOG.log(
                    Level.INFO,
                    "scheduler restored {0} targets: {1} overdue, {2} never run, {3} retrying",
                    String.valueOf(restored.size()),
                    String.valueOf(plan.overdue()),
                    String.valueOf(plan.neverRun()),
                    String.valueOf(plan.retrying().size()));
        }
    }

    /**
     * Unschedules up to {@code count} of these targets, furthest next run first. A running target stays (its
     * holder records its run), and so does one whose manual run waits for a slot (its caller waits here).
     *
     * @return the ids unscheduled
     */
    List<Long> giveAway(Collection<Long> ids, int count) {
        List<ScheduleEntry> idle = new ArrayList<>();
        for (long id : ids) {
            ScheduleEntry e = queues.entries.get(id);
            if (e != null && !e.running && !e.removed && e.manualRequest == null) {
                idle.add(e);
            }
        }
        idle.sort(FURTHEST_FIRST);
        List<Long> out = new ArrayList<>();
        for (ScheduleEntry e : idle.subList(0, Math.min(Math.max(0, count), idle.size()))) {
            queues.drop(e);
            out.add(e.id);
        }
        return out;
    }
}
