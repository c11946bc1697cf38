package org.clusterbackup.core.protocol;

/**
 * Data plane, agent to server: instead of a full archive, a delta against the archive with tree digest
 * {@code baseDigest}, which the request offered. {@code Data} frames follow: a raw deflate stream (no
 * header) of a plain tar holding the new and changed entries; then {@link DeltaRemoved} pages, then
 * {@link DeltaEnd}.
 *
 * @param baseDigest the request's {@code baseDigest}: what the delta applies to
 * @param files non-directory entries in the tree, as the scan found them
 */
public record DeltaBegin(String baseDigest, int files) implements Message {}
