package org.clusterbackup.core.catalog;

/**
 * What a finished transfer knows about the archive it is about to record.
 *
 * @param indexSha256 SHA-256 of the index file written beside the archive
 */
public record NewArchive(long sizeBytes, int files, String sha256, String digest, String indexSha256) {
    public NewArchive {
        java.util.Objects.requireNonNull(indexSha256, "indexSha256");
    }
}
