package org.clusterbackup.core.catalog;

import java.time.Instant;

/**
 * A row of {@code archives}: one stored backup. Rows are never deleted; retention sets {@code prunedAt}
 * when it deletes the file.
 *
 * @param fileName path of the archive file relative to the data dir
 */
public record Archive(long id, long targetId, Instant createdAt, long sizeBytes, int files, String sha256,
                      String digest, String fileName, Instant prunedAt, boolean corrupt) {
    /** Whether the file is still kept. */
    public boolean stored() {
        return prunedAt == null;
    }
}
