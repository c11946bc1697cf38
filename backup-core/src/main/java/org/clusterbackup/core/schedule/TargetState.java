package org.clusterbackup.core.schedule;

/** Where a target is in its schedule; see {@link TargetStatus}. */
public enum TargetState {
    /** Waiting for its next due time (or, when overdue, for a free run slot). */
    SCHEDULED,
    /** A run of it is in progress. */
    RUNNING,
    /** Its last run found the node unreachable; it runs again when a probe of the node answers. */
    RETRYING
}
