package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Data plane, agent to server: the archive is complete.
 *
 * @param size bytes of {@code .tgz} sent in the {@link Data} frames
 * @param sha256 lowercase hex SHA-256 of those bytes
 * @param digest the tree digest of what was actually archived (see the archive package)
 * @param files non-directory entries archived
 * @param warnings one line per file skipped or read while changing
 */
public record ArchiveEnd(long size, String sha256, String digest, int files, List<String> warnings) implements Message {
    public ArchiveEnd {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
