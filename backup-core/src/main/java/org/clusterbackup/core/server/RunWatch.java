package org.clusterbackup.core.server;

import java.time.Clock;
import java.time.Duration;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.server.api.RunLimits;

/**
 * The deadlines of one backup run, checked at every frame the agent sends (keep-alives included, which
 * arrive every few seconds while the agent works): the run's total time, the time since the last
 * progress, and the archive's size. Progress is archive bytes or a growing scan count; keep-alives only
 * show that the agent is alive, so a peer that answers with nothing else is cut at the stall timeout.
 */
final class RunWatch {
    private final RunLimits limits;
    private final Clock clock;
    private final String agent;
    private final long startedMillis;
    private long progressMillis;
    private long scanned;

    RunWatch(RunLimits limits, Clock clock, String agent) {
        this.limits = limits;
        this.clock = clock;
        this.agent = agent;
        this.startedMillis = clock.millis();
        this.progressMillis = startedMillis;
    }

    /** Archive bytes arrived. */
    void progressed() {
        progressMillis = clock.millis();
    }

    /** The agent reports its scan; only a count that grew is progress. */
    void scanned(long entries) {
        if (entries > scanned) {
            scanned = entries;
            progressed();
        }
    }

    void check() throws RunFailure {
        long now = clock.millis();
        if (now - startedMillis > limits.runTimeout().toMillis()) {
            throw new RunFailure(
                    FailureKind.OTHER,
                    "the run took longer than --run-timeout " + format(limits.runTimeout()) + "; " + agent
                            + " was cut off");
        }
        if (now - progressMillis > limits.stallTimeout().toMillis()) {
            throw new RunFailure(
                    FailureKind.OTHER,
                    agent + " made no progress for --stall-timeout " + format(limits.stallTimeout())
                            + " (no archive bytes, no scan progress)");
        }
    }

    /** Before writing {@code total} bytes of archive: refuses an archive over the size limit. */
    void checkSize(long total) throws RunFailure {
        if (!limits.unlimitedSize() && total > limits.maxArchiveSize()) {
            throw new RunFailure(
                    FailureKind.OTHER,
                    "the archive from " + agent + " exceeds --max-archive-size " + limits.maxArchiveSize()
                            + " bytes; it was refused");
        }
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }
}
