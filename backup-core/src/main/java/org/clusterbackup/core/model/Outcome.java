package org.clusterbackup.core.model;

/**
 * Where a backup run stands, or how it ended: the execution log, the control plane and the scheduler all
 * speak of runs in these words. On the wire and in the catalog each is its name.
 */
public enum Outcome {
    /** Started and not yet ended; only the execution log knows runs in this state. */
    RUNNING,
    /** A new archive was stored. */
    STORED,
    /** The agent answered that nothing changed since the last stored archive. */
    UNCHANGED,
    /** No archive; its {@link FailureKind} says why, which decides when the next try is. */
    FAILED
}
