package org.clusterbackup.core.protocol;

/**
 * The check of one archive.
 *
 * @param problem what is wrong (missing file, size or sha256 mismatch, a broken gzip or tar stream), or null
 */
public record VerifyResult(long id, boolean ok, String problem) {}
