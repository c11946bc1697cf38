package org.clusterbackup.core.catalog;

/** What a finished transfer knows about the archive it is about to record. */
public record NewArchive(long sizeBytes, int files, String sha256, String digest) {
}
