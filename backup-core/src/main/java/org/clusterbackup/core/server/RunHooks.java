package org.clusterbackup.core.server;

/**
 * Seams inside a backup run, so tests can act at an exact point (cut the agent off mid-transfer) instead of
 * sleeping and hoping. Production uses {@link #NONE}.
 */
public interface RunHooks {
    RunHooks NONE = new RunHooks() {};

    /** After a chunk of archive bytes reached the temp file; {@code received} counts all so far. */
    default void afterData(long targetId, long received) {}

    /**
     * A delta has arrived whole and checked; the new archive is about to be built from it and the base. A
     * test stops the server here to see a crash in the middle of a synthesis leave nothing behind.
     */
    default void beforeSynthesis(long targetId) {}

    /**
     * In the middle of a synthesis: {@code entries} entries of the new archive have been laid out so far. A
     * test copies the data dir here to see what a crash at this point leaves.
     */
    default void synthesizing(long targetId, long entries) {}

    /** During a restore, after a chunk of the archive went to the agent; {@code sent} counts all so far. */
    default void afterRestoreData(long archiveId, long sent) {}

    /** The catalog writes of a run, where a test can fail one like a full disk. */
    enum Record {
        START,
        FINISH,
        FAIL
    }

    /**
     * Just before the run writes its execution row; throwing here is what a full catalog disk does to that
     * write (a {@link org.clusterbackup.core.catalog.CatalogException} with SQLite's {@code SQLITE_FULL}).
     */
    default void beforeRecord(long targetId, Record step) {}

    /**
     * A server on a shared catalog dropped these targets from its schedule because its claims went
     * unrenewed for two thirds of a lease (the database out of reach): a test sees when that happened.
     */
    default void droppedUnrenewed(java.util.Set<Long> targetIds) {}

    /** A request for a run of the target joined the run already in progress. */
    default void joined(long targetId) {}

    /**
     * A run's archive has been renamed to its final name; the catalog transaction that records it has yet to
     * commit. A test starts another server on the shared data dir here.
     */
    default void afterPlace(long targetId, long archiveId) {}

    /**
     * At start, inside the cluster's set-up lock, before the identity and the first admin token are looked
     * for: a test holds one server here to start another beside it.
     */
    default void setUpLocked() throws java.io.IOException {}
}
