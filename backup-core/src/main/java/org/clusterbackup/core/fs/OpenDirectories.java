package org.clusterbackup.core.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens directories the way backups and restores must: from {@code /}, one component at a time, each relative
 * to its open parent with {@code O_NOFOLLOW} ({@code openat} semantics, by the JDK's
 * {@link SecureDirectoryStream}), so no component is ever followed as a symlink.
 */
public final class OpenDirectories {
    private OpenDirectories() {}

    /**
     * Opens {@code directory}, an absolute path without symlinks (as the agent's policies resolve them).
     *
     * @throws IOException a component is a symlink, not a directory, missing, or cannot be opened; or this
     *         platform has no {@link SecureDirectoryStream}
     */
    public static SecureDirectoryStream<Path> open(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        DirectoryStream<Path> top = Files.newDirectoryStream(absolute.getRoot());
        if (!(top instanceof SecureDirectoryStream)) {
            top.close();
            throw new IOException("this platform cannot work relative to open directories"
                    + " (no SecureDirectoryStream), which backups and restores need");
        }
        SecureDirectoryStream<Path> dir = (SecureDirectoryStream<Path>) top;
        for (Path part : absolute) {
            try {
                dir = dir.newDirectoryStream(part, LinkOption.NOFOLLOW_LINKS);
            } catch (AccessDeniedException e) {
                top.close();
                return byPath(absolute);
            } finally {
                top.close();
                top = dir;
            }
        }
        return dir;
    }

    /**
     * Opening a directory needs read permission, walking through it only search permission: an agent that
     * is not root may be allowed a tree below a directory it can only search (mode 0711). Then the
     * directory itself is opened by its path, and accepted only if that path leads to a directory that is
     * no symlink; below it everything is still relative.
     */
    private static SecureDirectoryStream<Path> byPath(Path absolute) throws IOException {
        BasicFileAttributes expected =
                Files.readAttributes(absolute, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!expected.isDirectory()) {
            throw new NotDirectoryException(absolute.toString());
        }
        DirectoryStream<Path> opened = Files.newDirectoryStream(absolute);
        if (!(opened instanceof SecureDirectoryStream<Path> dir)
                || !expected.fileKey()
                        .equals(dir.getFileAttributeView(BasicFileAttributeView.class)
                                .readAttributes()
                                .fileKey())) {
            opened.close();
            throw new FileSystemException(absolute.toString(), null, "it was replaced while it was opened");
        }
        return dir;
    }
}
