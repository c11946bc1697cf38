package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a regular file for reading. A seam for tests (count opens, refuse one path); production uses
 * {@link #standard()}.
 */
@FunctionalInterface
public interface FileOpener {

    SeekableByteChannel open(Path file) throws IOException;

    /**
     * Opens with {@code O_NOFOLLOW}: if a file is swapped for a symlink after it was scanned, the open fails
     * instead of archiving whatever the link points at, which may lie outside the allowed tree. Only the last
     * name is guarded: parent directories are resolved by path, so a parent swapped for a symlink in the
     * middle of a backup is followed (guarding them needs openat-style traversal).
     */
    static FileOpener standard() {
        return file -> FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }
}
