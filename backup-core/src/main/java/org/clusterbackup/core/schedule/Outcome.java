package org.clusterbackup.core.schedule;

/** How a run ended, as the scheduler needs to know it. */
public enum Outcome {
    /** A new archive was stored. */
    STORED,
    /** The agent answered that nothing changed since the last stored archive. */
    UNCHANGED,
    /** No archive; {@link RunResult#failure()} says why, which decides when the next try is. */
    FAILED
}
