package org.clusterbackup.core.protocol;

/**
 * Data plane, agent to server: an archive follows as {@link Data} frames, then {@link ArchiveEnd}.
 *
 * @param files non-directory entries the scan found (the archive may end with fewer if some vanish)
 */
public record ArchiveBegin(int files) implements Message {}
