package org.clusterbackup.core.protocol;

import java.time.Instant;

/**
 * A stored backup as the control plane reports it.
 *
 * @param stored whether the file is still kept (false once retention pruned it)
 * @param file absolute path of the archive on the server, {@code null} once pruned
 * @param corrupt whether {@code verify} found the file damaged
 */
public record ArchiveInfo(
        long id,
        Instant createdAt,
        long sizeBytes,
        int files,
        String sha256,
        boolean stored,
        String file,
        boolean corrupt) {}
