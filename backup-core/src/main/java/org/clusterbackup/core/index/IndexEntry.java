package org.clusterbackup.core.index;

import java.util.Objects;

/**
 * One tar entry of a stored archive, as its index records it: what the server read in the tar stream
 * itself, never what the agent said about it.
 *
 * @param path the entry's name, without the trailing {@code /} tar gives directories
 * @param mode permission bits (and set-id bits), 0 to 07777
 * @param size bytes of content (0 for directories and symlinks)
 * @param sha256 lowercase hex SHA-256 of the content, computed while inflating; null unless a file
 * @param linkTarget the symlink's target; null unless a symlink
 * @param headerOffset where the entry's first header block (its PAX header, if any) starts in the tar stream
 * @param dataOffset where its content starts in the tar stream
 */
public record IndexEntry(String path, EntryKind kind, int mode, long uid, long gid, long mtimeSeconds,
                         int mtimeNanos, long size, String sha256, String linkTarget, long headerOffset,
                         long dataOffset) {
    public IndexEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("an entry needs a path");
        }
        if (mode < 0 || mode > 07777 || size < 0 || mtimeNanos < 0 || mtimeNanos > 999_999_999 || headerOffset < 0
                || dataOffset < headerOffset + 512) {
            throw new IllegalArgumentException("entry " + path + " has impossible fields: mode " + mode + ", size "
                    + size + ", header at " + headerOffset + ", data at " + dataOffset);
        }
        if ((kind == EntryKind.FILE) != (sha256 != null) || (kind == EntryKind.SYMLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException("entry " + path + ": a sha256 belongs to files only, a link target "
                    + "to symlinks only");
        }
    }

    /** Where the content ends in the tar stream. */
    public long dataEnd() {
        return dataOffset + size;
    }
}
