package org.clusterbackup.core.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

/**
 * Opens directories the way backups and restores must: from {@code /}, one component at a time, each relative
 * to its open parent with {@code O_NOFOLLOW} ({@code openat} semantics, by the JDK's
 * {@link SecureDirectoryStream}), so no component is ever followed as a symlink.
 */
public final class OpenDirectories {
    private OpenDirectories() {
    }

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
            } finally {
                top.close();
                top = dir;
            }
        }
        return dir;
    }
}
