package org.clusterbackup.core.catalog;

import java.util.List;
import java.util.Optional;

/**
 * The stored archives: one row per archive ever stored, kept after retention deleted its file
 * ({@link Archive#prunedAt()}). New rows come only with the execution that stored them
 * ({@link Catalog#finishStored}).
 */
public interface ArchiveCatalog {
    /** Every archive the target ever stored, newest first, pruned ones included. */
    List<Archive> archives(long targetId);

    /**
     * One page of {@link #archives(long)}: newest first, only ids below {@code beforeId} ({@code null}: from
     * the newest), at most {@code limit} (keyset paging over the index on (target, id)).
     */
    List<Archive> archives(long targetId, Long beforeId, int limit);

    Optional<Archive> archive(long id);

    /** Records what {@code verify} found: a damaged archive is no longer offered as the base of a run. */
    void markCorrupt(long archiveId, boolean corrupt);

    /** Archives whose files are kept (not pruned), of all targets: what the store must hold. */
    List<Archive> storedArchives();

    /**
     * The newest kept archive of the target, the base for change detection. Empty when there is none or
     * when the newest one is damaged: then the next run must store a fresh archive, not confirm a bad one.
     */
    Optional<Archive> newestSoundArchive(long targetId);

    /**
     * Retention: marks every kept archive of the target beyond the newest {@code keep} as pruned.
     *
     * @return the archives just pruned; the caller deletes their files after this commit
     */
    List<Archive> pruneBeyond(long targetId, int keep);
}
