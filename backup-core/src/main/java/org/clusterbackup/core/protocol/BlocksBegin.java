package org.clusterbackup.core.protocol;

/**
 * Data plane, agent to server: a block delta against the archive with tree digest {@code baseDigest}, which
 * the request offered with {@code blocks} true. As {@link DeltaBegin}, except that the {@code Data} frames
 * inflate to a block delta stream (see {@code docs/BLOCK-DELTAS.md}): the delta's tar, in which the content
 * of some changed files is given as copies of their version in the base archive plus literal bytes, with the
 * new content's SHA-256. Then {@link DeltaRemoved} pages and {@link DeltaEnd}, as for a delta.
 *
 * @param baseDigest the request's {@code baseDigest}: what the delta applies to
 * @param files non-directory entries in the tree, as the scan found them
 */
public record BlocksBegin(String baseDigest, int files) implements Message {}
