package org.clusterbackup.core.restore;

import java.util.List;

/**
 * What {@link SafeExtractor#extract} restored.
 *
 * @param files non-directory entries restored: regular files, symlinks and hard links
 * @param bytes file content written, in bytes
 * @param warnings one line each, naming the entry: what could not be restored exactly (an owner that
 *        could not be set when running as root, a missing root entry)
 */
public record ExtractResult(int files, long bytes, List<String> warnings) {

    public ExtractResult {
        if (files < 0) {
            throw new IllegalArgumentException("files must be at least 0, was " + files);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be at least 0, was " + bytes);
        }
        warnings = List.copyOf(warnings);
    }
}
