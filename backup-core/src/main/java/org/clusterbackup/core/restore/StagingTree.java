package org.clusterbackup.core.restore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The private directory a restore is written into, beside its target ({@code .NAME.restore-<random>}, mode
 * 0700 until the end), and the rules for writing into it safely.
 *
 * <p>No entry is ever written through a symlink: every directory on an entry's path must be a real
 * directory this restore made (or, for one it has not seen yet, is made now), and the entry itself is
 * created exclusively ({@code O_CREAT|O_EXCL}, {@code symlink}, {@code link}), which never follows a symlink
 * in its last component and fails if the name is taken. So a symlink in the archive can only ever be
 * stored, and a second entry of the same name is refused rather than replacing the first.
 *
 * <p>Directories get their mode, times and owner at the end, deepest first: a read-only directory is
 * filled before it becomes read-only, and writing into a directory does not disturb its restored mtime.
 *
 * <p>Not thread-safe: one per restore.
 */
final class StagingTree {
    /** Mode of the restored directory when the archive has no {@code ./} entry to give one. */
    static final int DEFAULT_ROOT_MODE = 0755;
    /** Keeps {@code .NAME.restore-<random>} within the 255 bytes a file name may have. */
    private static final int MAX_NAME_IN_TEMP = 100;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** What a restore sets on an entry after writing it. */
    record Attributes(int mode, FileTime mtime, long uid, long gid) {
    }

    private record PendingDirectory(String name, Attributes attributes) {
    }

    private final Path root;
    private final boolean restoreOwners;
    /** Real directories this restore made (or found in its own tree): safe to write into. */
    private final Set<Path> directories = new HashSet<>();
    /** Directories the archive lists, with what to set on them at the end; the last entry of a path wins. */
    private final Map<Path, PendingDirectory> pending = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private StagingTree(Path root, boolean restoreOwners) {
        this.root = root;
        this.restoreOwners = restoreOwners;
        directories.add(root);
    }

    /** Creates the staging directory in {@code target}'s parent, which must exist. */
    static StagingTree createBeside(Path target) throws IOException {
        String name = target.getFileName().toString();
        if (name.length() > MAX_NAME_IN_TEMP) {
            name = name.substring(0, MAX_NAME_IN_TEMP);
        }
        Path root = Files.createTempDirectory(target.getParent(), "." + name + ".restore-");
        // A new directory belongs to the effective uid: owners are restored only when that is root, as
        // nobody else may give files away. The JDK offers no geteuid().
        boolean asRoot = ((Integer) Files.getAttribute(root, "unix:uid", NOFOLLOW)) == 0;
        return new StagingTree(root, asRoot);
    }

    Path root() {
        return root;
    }

    List<String> warnings() {
        return warnings;
    }

    /** Makes (or accepts, if this restore already made it) the directory {@code p}; its attributes wait. */
    Path directory(EntryPath p, Attributes attributes) throws UnsafeArchiveException, IOException {
        Path dir = root;
        if (!p.isRoot()) {
            dir = parentsReady(p);
            if (!directories.contains(dir)) {
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    throw replaces(p);
                }
                directories.add(dir);
            }
        }
        pending.put(dir, new PendingDirectory(p.name(), attributes));
        return dir;
    }

    /** Creates the regular file {@code p}, which must not exist yet, for writing. */
    OutputStream newFile(EntryPath p, Path file) throws UnsafeArchiveException, IOException {
        try {
            return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
        } catch (FileAlreadyExistsException e) {
            throw replaces(p);
        }
    }

    /** Where a non-directory entry goes, with every directory above it ready. */
    Path place(EntryPath p) throws UnsafeArchiveException, IOException {
        return parentsReady(p);
    }

    /** Stores the symlink {@code p -> target}; the target was checked, and is never followed here. */
    Path symlink(EntryPath p, String target, Attributes attributes) throws UnsafeArchiveException, IOException {
        Path link = parentsReady(p);
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (FileAlreadyExistsException e) {
            throw replaces(p);
        }
        if (restoreOwners) {
            restoreOwner(link, attributes, p.name());
        }
        try {
            Files.getFileAttributeView(link, BasicFileAttributeView.class, NOFOLLOW).setTimes(attributes.mtime(), null,
                    null);
        } catch (IOException | UnsupportedOperationException e) {
            // A symlink's own time is cosmetic, and not every system can set it (lutimes): not worth a warning.
        }
        return link;
    }

    /** Makes {@code p} a hard link to {@code existing}, which must be a regular file already restored. */
    Path hardLink(EntryPath p, String existingName) throws UnsafeArchiveException, IOException {
        EntryPath existing;
        try {
            existing = EntryPath.parse(existingName);
        } catch (UnsafeArchiveException e) {
            throw new UnsafeArchiveException(p.name(), "hard link to '" + existingName + "', which leads outside the"
                    + " target directory");
        }
        Path source = existing.isRoot() ? null : restoredFile(existing);
        if (source == null) {
            throw new UnsafeArchiveException(p.name(), "hard link to '" + existingName + "', which is not a regular"
                    + " file restored before it");
        }
        Path link = parentsReady(p);
        try {
            Files.createLink(link, source);
        } catch (FileAlreadyExistsException e) {
            throw replaces(p);
        }
        return link;
    }

    /** Sets owner (as root), mode and mtime on a regular file just written. */
    void fileWritten(Path file, Attributes attributes, EntryPath p) throws IOException {
        apply(file, attributes, p.name());
    }

    /** Sets the attributes of every directory the archive listed, deepest first, the root last. */
    void finishDirectories() throws IOException {
        if (!pending.containsKey(root)) {
            warnings.add("the archive has no ./ entry; the restored directory gets mode 0"
                    + Integer.toOctalString(DEFAULT_ROOT_MODE));
            Files.setAttribute(root, "unix:mode", DEFAULT_ROOT_MODE, NOFOLLOW);
        }
        List<Map.Entry<Path, PendingDirectory>> dirs = new ArrayList<>(pending.entrySet());
        dirs.sort(Comparator.comparingInt((Map.Entry<Path, PendingDirectory> e) -> e.getKey().getNameCount())
                .reversed());
        for (Map.Entry<Path, PendingDirectory> d : dirs) {
            apply(d.getKey(), d.getValue().attributes(), d.getValue().name());
        }
    }

    /**
     * Removes the staging tree, whatever modes the restore gave it so far.
     *
     * @throws IOException if some of it could not be removed
     */
    void delete() throws IOException {
        deleteTree(root);
    }

    private void apply(Path path, Attributes a, String name) throws IOException {
        if (restoreOwners) {
            restoreOwner(path, a, name); // first: chown clears setuid and setgid bits
        }
        Files.setAttribute(path, "unix:mode", a.mode(), NOFOLLOW);
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(a.mtime(), null, null);
    }

    private void restoreOwner(Path path, Attributes a, String name) {
        try {
            Files.setAttribute(path, "unix:uid", (int) a.uid(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", (int) a.gid(), NOFOLLOW);
        } catch (IOException e) {
            warnings.add("could not restore owner " + a.uid() + ":" + a.gid() + " of " + name + ": " + reason(e));
        }
    }

    /**
     * Makes sure every directory above {@code p} is a real directory of this restore, creating the missing
     * ones, and returns where {@code p} itself goes.
     */
    private Path parentsReady(EntryPath p) throws UnsafeArchiveException, IOException {
        List<String> segments = p.segments();
        Path dir = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            dir = dir.resolve(segments.get(i));
            if (directories.contains(dir)) {
                continue;
            }
            BasicFileAttributes a = lstat(dir);
            if (a == null) {
                Files.createDirectory(dir);
            } else if (a.isSymbolicLink()) {
                throw new UnsafeArchiveException(p.name(), "its path goes through the symlink '"
                        + String.join("/", segments.subList(0, i + 1)) + "'");
            } else if (!a.isDirectory()) {
                throw new UnsafeArchiveException(p.name(), "its path goes through '"
                        + String.join("/", segments.subList(0, i + 1)) + "', which is not a directory");
            }
            directories.add(dir);
        }
        Path path = root.resolve(p.relative()).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            // EntryPath already rules this out; a second look costs nothing.
            throw new UnsafeArchiveException(p.name(), "its name leads outside the target directory");
        }
        return path;
    }

    /** The regular file restored at {@code p}, reached through real directories only; or null. */
    private Path restoredFile(EntryPath p) throws IOException {
        Path dir = root;
        List<String> segments = p.segments();
        for (int i = 0; i < segments.size() - 1; i++) {
            dir = dir.resolve(segments.get(i));
            if (!directories.contains(dir)) {
                return null;
            }
        }
        Path file = dir.resolve(segments.get(segments.size() - 1));
        BasicFileAttributes a = lstat(file);
        return a != null && a.isRegularFile() ? file : null;
    }

    private static UnsafeArchiveException replaces(EntryPath p) {
        return new UnsafeArchiveException(p.name(), "it would replace an earlier entry of the same path");
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes {@code path} and all below it, never following symlinks, making directories writable first. */
    static void deleteTree(Path path) throws IOException {
        BasicFileAttributes a = lstat(path);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            try {
                Files.setAttribute(path, "unix:mode", 0700, NOFOLLOW); // a restored read-only directory
            } catch (IOException e) {
                // the listing or the deletes below will say what is wrong
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
                for (Path child : stream) {
                    children.add(child);
                }
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
            for (Path child : children) {
                deleteTree(child);
            }
        }
        Files.deleteIfExists(path);
    }

    /** The OS's reason, without the absolute path {@link FileSystemException#getMessage()} would add. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException && ((AccessDeniedException) e).getReason() == null) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
