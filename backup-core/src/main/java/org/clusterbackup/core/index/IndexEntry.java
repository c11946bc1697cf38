package org.clusterbackup.core.index;

import java.util.Objects;

/**
 * One tar entry of a stored archive, as its index records it: what the server read in the tar stream
 * itself, never what the agent said about it.
 *
 * @param path the entry's name, without the trailing {@code /} tar gives directories
 * @param mode permission bits (and set-id bits), 0 to 07777
 * @param size bytes of content (0 for directories, symlinks and hard links); a sparse file's whole length,
 *        holes included
 * @param sha256 lowercase hex SHA-256 of the content (a sparse file's holes read as zeros), computed while
 *        inflating; null unless a file
 * @param linkTarget a symlink's target, or the path of the file a hard link is another name of; null unless
 *        a link
 * @param headerOffset where the entry's first header block (its PAX header, if any) starts in the tar stream
 * @param dataOffset where its content starts in the tar stream
 * @param xattrs lowercase hex digest of its {@code SCHILY.xattr.*} records (as the agent's manifest computes
 *        it), or null if it has none
 * @param sparse true for a file stored in the PAX 1.0 sparse format (a map, then only the data)
 * @param dataLength the bytes that follow the header in the tar: {@code size}, or for a sparse file its map
 *        and data
 */
public record IndexEntry(
        String path,
        EntryKind kind,
        int mode,
        long uid,
        long gid,
        long mtimeSeconds,
        int mtimeNanos,
        long size,
        String sha256,
        String linkTarget,
        long headerOffset,
        long dataOffset,
        String xattrs,
        boolean sparse,
        long dataLength) {
    public IndexEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("an entry needs a path");
        }
        if (mode < 0
                || mode > 07777
                || size < 0
                || mtimeNanos < 0
                || mtimeNanos > 999_999_999
                || headerOffset < 0
                || dataOffset < headerOffset + 512
                || dataLength < 0) {
            throw new IllegalArgumentException("entry " + path + " has impossible fields: mode " + mode + ", size "
                    + size + ", header at " + headerOffset + ", data at " + dataOffset);
        }
        boolean linked = kind == EntryKind.SYMLINK || kind == EntryKind.HARDLINK;
        if ((kind == EntryKind.FILE) != (sha256 != null) || linked != (linkTarget != null)) {
            throw new IllegalArgumentException(
                    "entry " + path + ": a sha256 belongs to files only, a link target " + "to links only");
        }
        if (sparse ? kind != EntryKind.FILE : dataLength != size) {
            throw new IllegalArgumentException("entry " + path + ": only a sparse file stores other than its size");
        }
        if (xattrs != null && !xattrs.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("entry " + path + ": its xattrs digest is not 64 hex digits");
        }
    }

    /** An entry of an archive made before extended attributes and sparse files were kept. */
    public IndexEntry(
            String path,
            EntryKind kind,
            int mode,
            long uid,
            long gid,
            long mtimeSeconds,
            int mtimeNanos,
            long size,
            String sha256,
            String linkTarget,
            long headerOffset,
            long dataOffset) {
        this(
                path,
                kind,
                mode,
                uid,
                gid,
                mtimeSeconds,
                mtimeNanos,
                size,
                sha256,
                linkTarget,
                headerOffset,
                dataOffset,
                null,
                false,
                size);
    }

    /** Where the content ends in the tar stream (before its padding). */
    public long dataEnd() {
        return dataOffset + dataLength;
    }

    /** This entry moved to {@code headerOffset} (its data follows its header as before). */
    IndexEntry movedTo(long newHeaderOffset) {
        return new IndexEntry(
                path,
                kind,
                mode,
                uid,
                gid,
                mtimeSeconds,
                mtimeNanos,
                size,
                sha256,
                linkTarget,
                newHeaderOffset,
                newHeaderOffset + dataOffset - headerOffset,
                xattrs,
                sparse,
                dataLength);
    }
}
