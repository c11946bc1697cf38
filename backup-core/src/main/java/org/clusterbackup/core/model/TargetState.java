package org.clusterbackup.core.model;

/** Where a target is in the server's schedule; on the wire (the {@code list} reply) each is its name. */
public enum TargetState {
    /** Waiting for its next due time (or, when overdue, for a free run slot). */
    SCHEDULED,
    /** A run of it is in progress. */
    RUNNING,
    /** Its last run found the node unreachable; it runs again when a probe of the node answers. */
    RETRYING
}
