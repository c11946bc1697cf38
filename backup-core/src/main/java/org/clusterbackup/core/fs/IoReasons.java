package org.clusterbackup.core.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** How a file-system failure is told to an operator, the same in backup warnings and restore errors. */
public final class IoReasons {
    private IoReasons() {}

    /**
     * The OS's reason without the absolute path that {@link FileSystemException#getMessage()} adds: the
     * message around it already names the entry, relative to its root.
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException denied && denied.getReason() == null) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
