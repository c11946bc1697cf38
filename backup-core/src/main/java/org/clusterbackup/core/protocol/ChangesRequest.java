package org.clusterbackup.core.protocol;

/**
 * Control plane: what differs between an archive and the archive before it of the same target, from their
 * two indexes. Answered by {@link ChangePage}s, or an {@link ErrorReply} {@code NOT_FOUND} for an unknown or
 * pruned archive, one without a usable index, or one without an earlier kept archive with a usable index.
 */
public record ChangesRequest(long archiveId) implements Message {}
