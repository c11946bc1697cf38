package org.clusterbackup.core.catalog;

import java.time.Instant;

/**
 * A row of {@code archives}: one stored backup. Rows are never deleted; retention sets {@code prunedAt}
 * when it deletes the file.
 *
 * @param fileName path of the archive file relative to the data dir
 * @param indexSha256 SHA-256 of its index file ({@link #indexFileName()}), or null for an archive stored
 *        before archives were indexed
 */
public record Archive(
        long id,
        long targetId,
        Instant createdAt,
        long sizeBytes,
        int files,
        String sha256,
        String digest,
        String fileName,
        Instant prunedAt,
        boolean corrupt,
        String indexSha256) {
    /** The index file's name beside the archive, relative to the data dir (whether or not it has one). */
    public String indexFileName() {
        return indexFileName(fileName);
    }

    /** {@code <archive-id>.idx} beside {@code <archive-id>.tgz}. */
    public static String indexFileName(String archiveFileName) {
        String base = archiveFileName.endsWith(".tgz")
                ? archiveFileName.substring(0, archiveFileName.length() - 4)
                : archiveFileName;
        return base + ".idx";
    }

    /** Whether it was stored with an index (which may since have been lost or damaged). */
    public boolean indexed() {
        return indexSha256 != null;
    }

    /** Whether the file is still kept. */
    public boolean stored() {
        return prunedAt == null;
    }
}
