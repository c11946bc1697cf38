package org.clusterbackup.core.fs;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A path that names an open directory itself, not its name: {@code /proc/self/fd/N}. The kernel resolves it
 * to the open directory whatever has since been renamed or swapped along the path it was opened by, so a
 * path below it has {@code openat} semantics for the calls the JDK offers only by path ({@code mkdir},
 * {@code symlink}, {@code link}, {@code chmod} with setuid bits, {@code chown}).
 */
public final class ProcFd {
    private static final Path FDS = Path.of("/proc/self/fd");

    private ProcFd() {}

    /**
     * The {@code /proc/self/fd/N} of a directory this process holds open, found by its file key (device and
     * inode, from {@code BasicFileAttributes#fileKey}); null where {@code /proc} is not mounted or no
     * descriptor matches.
     */
    public static Path of(Object fileKey) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                try {
                    if (fileKey.equals(
                            Files.readAttributes(fd, BasicFileAttributes.class).fileKey())) {
                        return fd;
                    }
                } catch (IOException e) {
                    // closed meanwhile, or not ours to stat: not the one
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            return null;
        }
        return null;
    }
}
