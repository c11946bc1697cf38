package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * Opens a regular file of the tree for reading. A seam for tests (count opens, refuse one path); production
 * uses {@link #standard()}, which opens it the only safe way there is.
 */
@FunctionalInterface
public interface FileOpener {

    /**
     * @param file where the file is, for the seam to look at; it is never opened by this path
     * @param safe opens the file relative to its open parent directory with {@code O_NOFOLLOW}, so neither
     *        the file nor any directory above it is followed if swapped for a symlink after the scan
     */
    SeekableByteChannel open(Path file, SafeOpen safe) throws IOException;

    /** The safe open of one file (see {@link #open}). */
    @FunctionalInterface
    interface SafeOpen {
        SeekableByteChannel open() throws IOException;
    }

    static FileOpener standard() {
        return (file, safe) -> safe.open();
    }
}
