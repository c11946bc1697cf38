package org.clusterbackup.core.model;

/** Why a run failed, sorted by what the scheduler does next. */
public enum FailureKind {
    /**
     * The agent could not be reached or the conversation broke (connect refused, timeout, reset
     * mid-transfer). The target becomes {@link TargetState#RETRYING}: it runs again as soon as a probe of
     * its node answers.
     */
    UNREACHABLE,
    /**
     * The agent answered with an {@code Error} (path refused, unreadable root). Trying again at once would
     * fail the same way, so the next try is at the normal period.
     */
    REFUSED,
    /**
     * The agent's identity is not the one pinned for its node:port, or the agent refused this server's. The
     * node answered, so this is no outage: retrying as unreachable would only hide a possible attack. Next
     * try at the normal period, and it fails the same way until an operator acts ({@code backupctl trust}).
     */
    IDENTITY,
    /** Anything else (disk full, checksum mismatch, a bug). Next try at the normal period. */
    OTHER
}
