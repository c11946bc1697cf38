package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The probe loops of all unreachable node:ports, and the queue of their next probes. Not thread-safe:
 * every method is called with the {@link BackupScheduler}'s lock held. It decides when to probe; the
 * scheduler runs the probes and the targets they release.
 *
 * <p>A loop is in the probe queue exactly when some member waits and no probe of it is in flight.
 */
final class ProbeLoops {
    private static final System.Logger LOG = System.getLogger(ProbeLoops.class.getName());

    private final Backoff backoff;
    private final int maxConcurrent;
    private final Map<Endpoint, ProbeLoop> loops = new HashMap<>();
    private final NavigableSet<ProbeLoop> queue = new TreeSet<>(ProbeLoop.BY_NEXT_PROBE);
    private int inProgress;
    private long seq;

    ProbeLoops(Backoff backoff, int maxConcurrent) {
        this.backoff = backoff;
        this.maxConcurrent = maxConcurrent;
    }

    /**
     * Makes the entry a waiting member of its node's loop, so it is RETRYING. A loop that was idle starts
     * (or resumes) probing: at once when {@code probeNow}, else after its next backoff step.
     */
    void join(ScheduleEntry e, Instant now, boolean probeNow) {
        Endpoint endpoint = Endpoint.of(e.target);
        ProbeLoop loop = loops.get(endpoint);
        if (loop == null) {
            loop = new ProbeLoop(endpoint, ++seq);
            loops.put(endpoint, loop);
        }
        loop.members.add(e);
        e.probeLoop = loop;
        boolean wasIdle = loop.waiting.isEmpty();
        loop.waiting.add(e);
        if (loop.probing) {
            return; // the probe in flight answers for this entry too
        }
        if (wasIdle) {
            if (probeNow) {
                loop.nextProbeAt = now;
            } else {
                loop.lastDelay = backoff.next(loop.lastDelay, loop.shortestWaitingPeriod());
                loop.nextProbeAt = now.plus(loop.lastDelay);
            }
            queue.add(loop);
        } else {
            tighten(loop, now);
        }
    }

    /** The entry leaves RETRYING; a loop left without members ends. */
    void leave(ScheduleEntry e) {
        ProbeLoop loop = e.probeLoop;
        stopWaiting(e);
        e.probeLoop = null;
        loop.members.remove(e);
        if (loop.members.isEmpty()) {
            queue.remove(loop);
            loops.remove(loop.endpoint);
            loop.closed = true;
            LOG.log(Level.DEBUG, "{0} probe loop ends: no targets wait on it", loop.endpoint);
        }
    }

    /** The entry stays RETRYING but no longer waits for a probe (a manual run took it). */
    void stopWaiting(ScheduleEntry e) {
        ProbeLoop loop = e.probeLoop;
        if (loop.waiting.remove(e) && loop.waiting.isEmpty()) {
            queue.remove(loop);
        }
    }

    /** Brings a queued probe forward when a waiting member's period is now shorter than the wait. */
    void tighten(ProbeLoop loop, Instant now) {
        if (loop.probing || loop.waiting.isEmpty()) {
            return;
        }
        Duration cap = backoff.cap(loop.shortestWaitingPeriod());
        Instant latest = now.plus(cap);
        if (latest.isBefore(loop.nextProbeAt)) {
            queue.remove(loop);
            loop.nextProbeAt = latest;
            loop.lastDelay = cap;
            queue.add(loop);
        }
    }

    /** Takes the loops whose probe is due, as many as there are free probe slots. */
    List<ProbeLoop> takeDue(Instant now) {
        List<ProbeLoop> due = new ArrayList<>();
        while (inProgress < maxConcurrent
                && !queue.isEmpty()
                && !queue.first().nextProbeAt.isAfter(now)) {
            ProbeLoop loop = queue.pollFirst();
            loop.probing = true;
            inProgress++;
            due.add(loop);
        }
        return due;
    }

    /** When the next probe is due; null when none is queued or every probe slot is busy. */
    Instant nextProbeAt() {
        return inProgress < maxConcurrent && !queue.isEmpty() ? queue.first().nextProbeAt : null;
    }

    /**
     * Records the end of a probe: on no answer, the loop waits its next backoff step.
     *
     * @return the members to run now because the node answered; empty otherwise
     */
    List<ScheduleEntry> probeEnded(ProbeLoop loop, boolean answered, Instant now) {
        inProgress--;
        loop.probing = false;
        if (loop.closed || loop.waiting.isEmpty()) {
            return List.of();
        }
        if (answered) {
            return release(loop, "a probe answered");
        }
        loop.lastDelay = backoff.next(loop.lastDelay, loop.shortestWaitingPeriod());
        loop.nextProbeAt = now.plus(loop.lastDelay);
        queue.add(loop);
        LOG.log(
                Level.DEBUG,
                "{0} still unreachable, {1} targets waiting; next probe in {2}",
                loop.endpoint,
                String.valueOf(loop.waiting.size()),
                ScheduledTarget.brief(loop.lastDelay));
        return List.of();
    }

    /**
     * A run reached the agent at this endpoint, which answers as well as a probe would.
     *
     * @return the members to run now; empty when none waits
     */
    List<ScheduleEntry> reached(Endpoint endpoint, String how) {
        ProbeLoop loop = loops.get(endpoint);
        return loop == null || loop.waiting.isEmpty() ? List.of() : release(loop, how);
    }

    /** Stops waiting for every waiting member; the loop pauses until one waits again. */
    private List<ScheduleEntry> release(ProbeLoop loop, String why) {
        queue.remove(loop);
        List<ScheduleEntry> released = List.copyOf(loop.waiting);
        loop.waiting.clear();
        LOG.log(
                Level.INFO,
                "{0} answers again ({1}): {2} waiting targets queued to run",
                loop.endpoint,
                why,
                String.valueOf(released.size()));
        return released;
    }
}
