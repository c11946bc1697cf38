package org.clusterbackup.core.protocol;

/**
 * Control plane: send the stored archive. Answered by {@link ArchiveBegin}, {@link Data} frames and an
 * {@link ArchiveEnd} whose size and sha256 are the catalog's, so the client checks what it received against
 * what was stored.
 */
public record FetchRequest(long archiveId) implements Message {}
