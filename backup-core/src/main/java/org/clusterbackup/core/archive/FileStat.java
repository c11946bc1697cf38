package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An {@code lstat} of one path: what the stat cache compares and what a tar header needs.
 *
 * @param format the {@code S_IFMT} bits of {@code st_mode}
 * @param mode permission bits ({@code 07777})
 * @param mtime modification time. An {@link Instant} keeps seconds and nanoseconds apart: nanoseconds since
 *        the epoch in one {@code long} end in 2262, and a file dated later would be archived as 2262-04-11
 * @param ctime status change time, likewise
 * @param device the device the file is on ({@code st_dev}): with the inode, what makes two names one file
 * @param links how many names the file has ({@code st_nlink})
 */
record FileStat(
        int format,
        int mode,
        long size,
        Instant mtime,
        Instant ctime,
        long inode,
        long uid,
        long gid,
        long device,
        long links) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /*
     * Named attributes, not "unix:*": the star also resolves owner and group names, a passwd/group lookup
     * per file that we never use (the archive keeps numeric ids).
     */
    private static final String ATTRIBUTES = "unix:mode,ino,dev,nlink,uid,gid,size,lastModifiedTime,ctime,fileKey";

    FileStat {
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(ctime, "ctime");
    }

    /**
     * Stats {@code name} in the open directory {@code dir}, never following a symlink. The JDK's stat relative
     * to an open directory gives neither the full mode (setuid, setgid, sticky) nor numeric owners nor ctime,
     * so those come from a stat of {@code path}, which is accepted only if it reached the very same file
     * (device and inode): were a directory on that path swapped for a symlink, the two would differ.
     *
     * @throws TreeChangedException the path no longer leads to the file found in {@code dir}
     */
    static FileStat of(SecureDirectoryStream<Path> dir, Path name, Path path) throws IOException {
        BasicFileAttributes here = dir.getFileAttributeView(
                        name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
        return checked(here.fileKey(), path);
    }

    /** Stats the open directory {@code dir} itself, which was opened at {@code path}; checked the same way. */
    static FileStat ofOpen(SecureDirectoryStream<Path> dir, Path path) throws IOException {
        return checked(
                dir.getFileAttributeView(BasicFileAttributeView.class)
                        .readAttributes()
                        .fileKey(),
                path);
    }

    private static FileStat checked(Object fileKey, Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (fileKey == null || !fileKey.equals(a.get("fileKey"))) {
            throw new TreeChangedException(path);
        }
        int stMode = (Integer) a.get("mode");
        return new FileStat(
                stMode & S_IFMT,
                stMode & 07777,
                (Long) a.get("size"),
                ((FileTime) a.get("lastModifiedTime")).toInstant(),
                ((FileTime) a.get("ctime")).toInstant(),
                (Long) a.get("ino"),
                Integer.toUnsignedLong((Integer) a.get("uid")),
                Integer.toUnsignedLong((Integer) a.get("gid")),
                (Long) a.get("dev"),
                Integer.toUnsignedLong((Integer) a.get("nlink")));
    }

    boolean isFile() {
        return format == S_IFREG;
    }

    boolean isDirectory() {
        return format == S_IFDIR;
    }

    boolean isSymlink() {
        return format == S_IFLNK;
    }

    /** The archive type, or null for what a backup skips (fifos, sockets, devices). */
    EntryType type() {
        switch (format) {
            case S_IFREG:
                return EntryType.FILE;
            case S_IFDIR:
                return EntryType.DIRECTORY;
            case S_IFLNK:
                return EntryType.SYMLINK;
            default:
                return null;
        }
    }

    /** What a skipped entry is, for its warning. */
    String kind() {
        switch (format) {
            case S_IFREG:
                return "file";
            case S_IFDIR:
                return "directory";
            case S_IFLNK:
                return "symlink";
            case S_IFIFO:
                return "fifo";
            case S_IFSOCK:
                return "socket";
            case S_IFCHR:
                return "character device";
            case S_IFBLK:
                return "block device";
            default:
                return "file of unknown type 0" + Integer.toOctalString(format);
        }
    }

    /** True for a regular file with other names, which may be in the same tree. */
    boolean hasOtherNames() {
        return format == S_IFREG && links > 1;
    }

    long mtimeSeconds() {
        return mtime.getEpochSecond();
    }

    /**
     * True when nothing that a content change must move has moved: a write changes size or mtime (and
     * always ctime), a replacement by rename changes the inode. A chmod also moves ctime, which is wanted:
     * the mode is archived too.
     */
    boolean unchangedSince(FileStat before) {
        return format == before.format
                && size == before.size
                && mtime.equals(before.mtime)
                && ctime.equals(before.ctime)
                && inode == before.inode;
    }
}
