package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Data plane, agent to server: the delta is complete.
 *
 * @param size bytes sent in the delta's {@link Data} frames
 * @param sha256 lowercase hex SHA-256 of those bytes
 * @param digest the tree digest of the new archive: the server's result must have it
 * @param files non-directory entries in the new archive
 * @param warnings one line per file skipped or read while changing
 */
public record DeltaEnd(long size, String sha256, String digest, int files, List<String> warnings) implements Message {
    public DeltaEnd {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
