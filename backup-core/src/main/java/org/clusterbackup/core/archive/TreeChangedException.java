package org.clusterbackup.core.archive;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * What a backup found in an open directory is no longer what its path leads to: a directory on the way was
 * replaced (by a symlink, say) while the backup ran. The entry is skipped with a warning, never read through
 * the new path.
 */
final class TreeChangedException extends FileSystemException {
    TreeChangedException(Path path) {
        super(path.toString(), null, "a directory on its path was replaced during the backup");
    }

    TreeChangedException(Path path, String reason) {
        super(path.toString(), null, reason);
    }
}
