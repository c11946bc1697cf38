package org.clusterbackup.core.protocol;

/**
 * Control plane: send one regular file of a stored archive, inflating only the segments that hold it.
 * Answered like {@link FetchRequest}: {@link ArchiveBegin}, {@link Data} frames with the file's content and an
 * {@link ArchiveEnd} whose size and sha256 are the index's, so the client checks what it received; or an
 * {@link ErrorReply}: {@code NOT_FOUND} when the path is not a regular file of the archive or the archive
 * has no usable index, {@code INTEGRITY} (possibly after some Data) when the stored bytes are damaged.
 */
public record FileFetchRequest(long archiveId, String path) implements Message {}
