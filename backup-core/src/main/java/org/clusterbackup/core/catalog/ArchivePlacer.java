package org.clusterbackup.core.catalog;

import java.io.IOException;

/**
 * Moves a verified temp file to its final place once its archive id is known. Called inside the
 * transaction that records the archive: if it throws, nothing is recorded.
 */
@FunctionalInterface
public interface ArchivePlacer {
    /** @return the final file name, relative to the data dir */
    String place(long targetId, long archiveId) throws IOException;
}
