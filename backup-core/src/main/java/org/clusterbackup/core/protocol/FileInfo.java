package org.clusterbackup.core.protocol;

import java.time.Instant;

/**
 * One entry of an archive, as its index (built by the server from the bytes it received) describes it.
 *
 * @param path the name in the archive, as {@code fetch --file} takes it (directories without a trailing /)
 * @param type {@code file}, {@code dir} or {@code symlink}
 * @param mode permission bits, 0 to 07777
 * @param sha256 lowercase hex SHA-256 of the content; null unless a file
 * @param linkTarget null unless a symlink
 * @param hardLinkTo for a hard link (listed as a {@code file} of size 0 without sha256), the path of the file
 *        whose content it shares; null otherwise
 */
public record FileInfo(
        String path,
        String type,
        long sizeBytes,
        int mode,
        Instant mtime,
        String sha256,
        String linkTarget,
        String hardLinkTo) {
    /** An entry that is not a hard link. */
    public FileInfo(
            String path, String type, long sizeBytes, int mode, Instant mtime, String sha256, String linkTarget) {
        this(path, type, sizeBytes, mode, mtime, sha256, linkTarget, null);
    }
}
