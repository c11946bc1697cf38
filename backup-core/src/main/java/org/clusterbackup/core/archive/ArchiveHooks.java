package org.clusterbackup.core.archive;

/**
 * Test seams at the points where a live tree can change under a backup, so hot-file behaviour is tested
 * deterministically (a hook edits the file at an exact moment) instead of with sleeps and racing threads.
 * Production uses {@link #NONE}. Hooks run on the thread doing the scan or write; an exception thrown by a
 * hook propagates out of that call.
 */
public interface ArchiveHooks {

    ArchiveHooks NONE = new ArchiveHooks() {};

    /**
     * Called by {@link TreeArchiver#scan} once the tree is listed and stat-ed, before its files are hashed.
     *
     * @param root the scanned directory
     */
    default void afterWalk(java.nio.file.Path root) {}

    /** Called at the end of {@link TreeArchiver#scan}, with its result, before it is returned. */
    default void afterScan(TreeScan scan) {}

    /**
     * Called by a scan or write just before it lists the extended attributes of entry {@code name}, which
     * opens the entry: an unchanged tree lists no regular file's.
     */
    default void beforeXattrs(String name) {}

    /** Called by {@link TreeArchiver#write} for each regular file, once, before it is first stat-ed. */
    default void beforeRead(ManifestEntry entry) {}

    /**
     * Called by {@link TreeArchiver#write} after each chunk of a regular file was read (on every try),
     * with the number of the file's bytes read so far in this try.
     */
    default void afterChunk(ManifestEntry entry, long bytesSoFar) {}

    /**
     * Called by the agent once a backup's reply has been handed to the connection (its last frame: Unchanged,
     * the end of the archive or delta, or an error), just before it saves the tree's stat cache.
     *
     * @param root the backed-up directory
     */
    default void beforeStatCacheSave(java.nio.file.Path root) {}
}
