package org.clusterbackup.console.viewmodel;

import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.protocol.FileInfo;

/**
 * One entry of an archive as the Files… window shows it.
 *
 * @param size for files, {@code 1.2 KiB}; empty for directories and symlinks
 * @param mode octal, {@code 0644}
 * @param mtime local time
 */
public record FileRow(FileInfo info, String path, String type, String size, String mode, String mtime) {
    static FileRow of(FileInfo f, Formats formats) {
        return new FileRow(
                f,
                f.linkTarget() == null ? f.path() : f.path() + " -> " + f.linkTarget(),
                f.type(),
                isFile(f) ? Display.size(f.sizeBytes()) : "",
                String.format("%04o", f.mode()),
                formats.time(f.mtime()));
    }

    /** Only regular files can be downloaded on their own. */
    public boolean downloadable() {
        return isFile(info);
    }

    private static boolean isFile(FileInfo f) {
        return "file".equals(f.type());
    }
}
