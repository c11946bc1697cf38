package org.clusterbackup.core.client;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A downloaded archive could not be written to the local file (no such directory, disk full, no permission).
 * The server and the connection were fine: this is not an {@link UnreachableException}.
 */
public final class LocalWriteException extends IOException {
    private final transient Path file;

    public LocalWriteException(Path file, IOException cause) {
        super("cannot write " + file + ": " + describe(cause), cause);
        this.file = file;
    }

    /** The destination that was to be written. */
    public Path file() {
        return file;
    }

    /** The cause in words: for a missing file or a denied access the JDK names only the file. */
    static String describe(IOException cause) {
        if (cause instanceof FileSystemException fs && fs.getReason() == null) {
            String what = cause instanceof NoSuchFileException
                    ? "no such file or directory"
                    : cause instanceof AccessDeniedException
                            ? "permission denied"
                            : cause instanceof DirectoryNotEmptyException
                                    ? "a directory is in the way"
                                    : cause.getClass().getSimpleName();
            return fs.getFile() + ": " + what;
        }
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }
}
