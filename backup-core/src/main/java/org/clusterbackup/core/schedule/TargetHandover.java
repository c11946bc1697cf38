package org.clusterbackup.core.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Moves targets into and out of the schedule as their claims change hands between the servers of a
 * cluster. Those a server gives away to one under its share are the idle ones whose next run is furthest
 * away, so the next holder has the most time before it runs them. Not thread-safe: called with the
 * {@link BackupScheduler}'s lock held.
 */
final class TargetHandover {
    /** Furthest next run first; the id breaks ties, so the choice does not depend on the order given. */
    private static final Comparator<ScheduleEntry> FURTHEST_FIRST = Comparator.comparing(
                    (ScheduleEntry e) -> e.status().nextRunAt())
            .reversed()
            .thenComparingLong(e -> e.id);

    private final ScheduleQueues queues;

    TargetHandover(ScheduleQueues queues) {
        this.queues = queues;
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
