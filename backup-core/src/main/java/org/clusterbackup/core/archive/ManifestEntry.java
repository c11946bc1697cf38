package org.clusterbackup.core.archive;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of a scanned tree, as it goes into the archive.
 *
 * <p>{@code name} is the archive name, relative to the scanned root and never absolute: {@code ./} for the
 * root itself, {@code dir/} for a directory (trailing slash, as tar writes it), {@code dir/file} for a file or
 * symlink. No segment is empty, {@code .} or {@code ..}, so extracting can never write outside the target
 * directory.
 *
 * @param name archive name, as above
 * @param type what the entry is
 * @param mode permission bits, including setuid, setgid and sticky ({@code 07777} at most)
 * @param size content length of a file; 0 for directories and symlinks
 * @param mtime modification time in whole seconds since the epoch, as tar keeps it
 * @param uid numeric owner
 * @param gid numeric group
 * @param sha256 lowercase hex SHA-256 of a file's content; empty for directories and symlinks
 * @param linkTarget a symlink's target, verbatim (it may be absolute or climb with {@code ..}: it is only
 *        stored, never followed); for a hard link, the archive name of the file it is another name of (an
 *        earlier entry of the same archive); empty for other types
 * @param mtimeNanos the fraction of a second of the mtime, 0 to 999,999,999 (0 when sub-second times are off)
 * @param xattrs lowercase hex SHA-256 of the entry's extended attributes as archived (see {@link Xattrs}), or
 *        empty when it has none
 */
public record ManifestEntry(
        String name,
        EntryType type,
        int mode,
        long size,
        long mtime,
        long uid,
        long gid,
        String sha256,
        String linkTarget,
        int mtimeNanos,
        String xattrs) {
    public static final String ROOT_NAME = "./";

    public ManifestEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(linkTarget, "linkTarget");
        Objects.requireNonNull(xattrs, "xattrs");
        checkName(name, type);
        if (mtimeNanos < 0 || mtimeNanos > 999_999_999) {
            throw new IllegalArgumentException("mtimeNanos of " + name + " must be 0 to 999999999, was " + mtimeNanos);
        }
        if (!xattrs.isEmpty() && !isSha256Hex(xattrs)) {
            throw new IllegalArgumentException(
                    "xattrs of " + name + " must be empty or 64 lowercase hex digits, was '" + xattrs + "'");
        }
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException(
                    "mode of " + name + " must be permission bits only (07777), was 0" + Integer.toOctalString(mode));
        }
        if (size < 0 || (type != EntryType.FILE && size != 0)) {
            throw new IllegalArgumentException("size of " + type + " " + name + " must be "
                    + (type == EntryType.FILE ? "at least 0" : "0") + ", was " + size);
        }
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException(
                    "uid and gid of " + name + " must be at least 0, were " + uid + ", " + gid);
        }
        if (type == EntryType.FILE ? !isSha256Hex(sha256) : !sha256.isEmpty()) {
            throw new IllegalArgumentException("sha256 of " + type + " " + name + " must be "
                    + (type == EntryType.FILE ? "64 lowercase hex digits" : "empty") + ", was '" + sha256 + "'");
        }
        boolean linked = type == EntryType.SYMLINK || type == EntryType.HARDLINK;
        if (linked ? linkTarget.isEmpty() || linkTarget.indexOf('\0') >= 0 : !linkTarget.isEmpty()) {
            throw new IllegalArgumentException("linkTarget of " + type + " " + name + " must be "
                    + (linked ? "a non-empty path" : "empty") + ", was '" + linkTarget + "'");
        }
        if (type == EntryType.HARDLINK) {
            checkName(linkTarget, EntryType.FILE);
        }
    }

    /** An entry without sub-second mtime and without extended attributes, as archives before them had. */
    public ManifestEntry(
            String name,
            EntryType type,
            int mode,
            long size,
            long mtime,
            long uid,
            long gid,
            String sha256,
            String linkTarget) {
        this(name, type, mode, size, mtime, uid, gid, sha256, linkTarget, 0, "");
    }

    /**
     * A second (or later) name of a file: a tar hard link to {@code target}, an earlier entry of the archive.
     * Mode, owner and mtime are the file's (one inode has one of each).
     */
    public static ManifestEntry hardLink(String name, int mode, long mtime, long uid, long gid, String target) {
        return new ManifestEntry(name, EntryType.HARDLINK, mode, 0, mtime, uid, gid, "", target);
    }

    /** This entry with the fraction of a second of its mtime. */
    public ManifestEntry withMtimeNanos(int nanos) {
        return new ManifestEntry(name, type, mode, size, mtime, uid, gid, sha256, linkTarget, nanos, xattrs);
    }

    /** This entry with the digest of its extended attributes ({@link Xattrs#digest()}; empty for none). */
    public ManifestEntry withXattrs(String digest) {
        return new ManifestEntry(name, type, mode, size, mtime, uid, gid, sha256, linkTarget, mtimeNanos, digest);
    }

    public static ManifestEntry directory(String name, int mode, long mtime, long uid, long gid) {
        return new ManifestEntry(name, EntryType.DIRECTORY, mode, 0, mtime, uid, gid, "", "");
    }

    public static ManifestEntry file(String name, int mode, long size, long mtime, long uid, long gid, String sha256) {
        return new ManifestEntry(name, EntryType.FILE, mode, size, mtime, uid, gid, sha256, "");
    }

    public static ManifestEntry symlink(String name, int mode, long mtime, long uid, long gid, String target) {
        return new ManifestEntry(name, EntryType.SYMLINK, mode, 0, mtime, uid, gid, "", target);
    }

    /**
     * The digest of extended attributes (name without the {@code SCHILY.xattr.} prefix, to value) as entries
     * keep it in {@link #xattrs()}: empty for none. The server computes it from an archive's PAX records.
     */
    public static String xattrsDigest(Map<String, String> attributes) {
        return Xattrs.digest(attributes);
    }

    /** True for the scanned root itself ({@code ./}). */
    public boolean isRoot() {
        return name.equals(ROOT_NAME);
    }

    /** The name as indexes have it: a directory's without its trailing {@code /} (the root is {@code .}). */
    public String path() {
        return type == EntryType.DIRECTORY ? name.substring(0, name.length() - 1) : name;
    }

    private static void checkName(String name, EntryType type) {
        Objects.requireNonNull(name, "name");
        if (name.equals(ROOT_NAME)) {
            if (type != EntryType.DIRECTORY) {
                throw new IllegalArgumentException("only a directory can be named " + ROOT_NAME + ", not a " + type);
            }
            return;
        }
        boolean dir = type == EntryType.DIRECTORY;
        if (dir != name.endsWith("/")) {
            throw new IllegalArgumentException(
                    "a " + type + " name must " + (dir ? "" : "not ") + "end with '/', was '" + name + "'");
        }
        String path = dir ? name.substring(0, name.length() - 1) : name;
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("entry name must be a relative path without NUL, was '" + name + "'");
        }
        // Each segment between slashes, without the regex and the strings String.split makes: this runs for
        // every entry of every manifest and of every synthesized archive.
        for (int start = 0; start <= path.length(); ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if (length == 0
                    || path.charAt(start) == '.' && (length == 1 || length == 2 && path.charAt(start + 1) == '.')) {
                throw new IllegalArgumentException(
                        "entry name must not contain empty, '.' or '..' segments, was '" + name + "'");
            }
            start = end + 1;
        }
    }

    private static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
