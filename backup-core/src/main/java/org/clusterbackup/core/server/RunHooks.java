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

    /** The catalog writes of a run, where a test can fail one like a full disk. */
    enum Record { START, FINISH, FAIL }

    /**
     * Just before the run writes its execution row; throwing here is what a full catalog disk does to that
     * write (a {@link org.clusterbackup.core.catalog.CatalogException} with SQLite's {@code SQLITE_FULL}).
     */
    default void beforeRecord(long targetId, Record step) {
    }

    /** A request for a run of the target joined the run already in progress. */
    default void joined(long targetId) {
    }
}
