package org.clusterbackup.core.server;

/**
 * Seams inside a backup run, so tests can act at an exact point (cut the agent off mid-transfer) instead of
 * sleeping and hoping. Production uses {@link #NONE}.
 */
public interface RunHooks {
    RunHooks NONE = new RunHooks() { };

    /** After a chunk of archive bytes reached the temp file; {@code received} counts all so far. */
    default void afterData(long targetId, long received) {
    }

    /** During a restore, after a chunk of the archive went to the agent; {@code sent} counts all so far. */
    default void afterRestoreData(long archiveId, long sent) {
    }

    /** A request for a run of the target joined the run already in progress. */
    default void joined(long targetId) {
    }
}
