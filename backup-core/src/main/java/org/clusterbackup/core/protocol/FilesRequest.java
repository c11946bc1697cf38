package org.clusterbackup.core.protocol;

/**
 * Control plane: list an archive's entries from its index. Answered by {@link FilePage}s in archive order,
 * or an {@link ErrorReply} {@code NOT_FOUND} for an unknown or pruned archive or one without a usable index.
 */
public record FilesRequest(long archiveId) implements Message {}
