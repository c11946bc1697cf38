package org.clusterbackup.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Probing of one unreachable node:port, shared by all its RETRYING targets so that a hundred targets on a
 * down node cost one probe per backoff step, not a hundred. Guarded by the scheduler's lock.
 *
 * <p>The loop lives while it has members. It probes while some member is waiting; when a probe answers,
 * the waiting members are queued to run and the loop pauses. A member whose run fails UNREACHABLE again
 * waits again and probing resumes where the backoff stood: a node that answers probes but breaks every
 * backup is tried less and less often instead of in a tight loop.
 */
final class ProbeLoop {
    /** Probe-queue order. {@link #nextProbeAt} changes only while the loop is out of the queue. */
    static final Comparator<ProbeLoop> BY_NEXT_PROBE =
            Comparator.comparing((ProbeLoop p) -> p.nextProbeAt).thenComparingLong(p -> p.seq);

    final Endpoint endpoint;
    final long seq;
    /** RETRYING targets of this endpoint: waiting, queued to run, or running. */
    final Set<ScheduleEntry> members = new HashSet<>();
    /** Members waiting for a probe to answer, in the order they started waiting. */
    final Set<ScheduleEntry> waiting = new LinkedHashSet<>();

    Instant nextProbeAt;
    /** The wait before {@link #nextProbeAt}; null before the first backoff step. */
    Duration lastDelay;

    boolean probing;
    /** Its last member left; a probe still in flight is ignored when it ends. */
    boolean closed;

    ProbeLoop(Endpoint endpoint, long seq) {
        this.endpoint = endpoint;
        this.seq = seq;
    }

    /** The smallest period among the waiting members; caps the backoff. Only called while some wait. */
    Duration shortestWaitingPeriod() {
        Duration shortest = null;
        for (ScheduleEntry e : waiting) {
            Duration every = e.target.every();
            if (shortest == null || every.compareTo(shortest) < 0) {
                shortest = every;
            }
        }
        return shortest;
    }
}
