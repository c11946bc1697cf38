package org.clusterbackup.core.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.clusterbackup.core.fs.OpenDirectories;
import org.clusterbackup.core.fs.ProcFd;

/**
 * The private directory a restore is written into, beside its target ({@code .NAME.restore-<random>}, mode
 * 0700 until the end), and the rules for writing into it safely.
 *
 * <p>The target's parent is opened from {@code /} without following any symlink and held open; the staging
 * directory is opened relative to it, and every entry is created relative to its open parent directory
 * (see {@link DirectoryStack}). Files are created exclusively ({@code O_CREAT|O_EXCL|O_NOFOLLOW}); so are
 * symlinks and hard links ({@code symlink}, {@code link} fail if the name is taken). So nothing is written
 * through a symlink, and a second entry of a name is refused rather than replacing the first. The final
 * rename and the clean-up go through the open parent too: were the staging directory swapped for a symlink,
 * neither would follow it, and a clean-up that cannot remove everything says what it left.
 *
 * <p>Every file and directory is fsync'ed before the tree is renamed into place, and the parent after.
 *
 * <p>Not thread-safe: one per restore.
 */
final class StagingTree implements AutoCloseable {
    /** Mode of the restored directory when the archive has no {@code ./} entry to give one. */
    static final int DEFAULT_ROOT_MODE = 0755;
    /** Keeps {@code .NAME.restore-<random>} within the 255 bytes a file name may have. */
    private static final int MAX_NAME_IN_TEMP = 100;

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Path SELF = Path.of(".");

    /** What a restore sets on an entry after writing it. */
    /** @param xattrs extended attributes (full name, such as {@code user.origin}, to value); possibly none */
    record Attributes(int mode, FileTime mtime, long uid, long gid, java.util.Map<String, String> xattrs) {
        Attributes {
            xattrs = java.util.Map.copyOf(xattrs);
        }

        Attributes(int mode, FileTime mtime, long uid, long gid) {
            this(mode, mtime, uid, gid, java.util.Map.of());
        }
    }

    private final SecureDirectoryStream<Path> parent;
    private final Path root;
    /** Where path-based calls reach the staging directory: its {@code /proc/self/fd/N}, else its path. */
    private final Path at;

    private final Path name;
    private final Object key;
    /** The staging directory itself, for the clean-up, which must reach it whatever happens to its name. */
    private final SecureDirectoryStream<Path> own;

    private final AttributeWriter writer;
    private final DirectoryStack stack;
    private final ExtractHooks hooks;

    private StagingTree(
            SecureDirectoryStream<Path> parent,
            Path root,
            Object key,
            SecureDirectoryStream<Path> own,
            boolean asRoot,
            boolean restoreSetid,
            ExtractHooks hooks)
            throws IOException {
        this.parent = parent;
        this.root = root;
        Path fd = ProcFd.of(key);
        this.at = fd != null ? fd : root;
        this.name = root.getFileName();
        this.key = key;
        this.own = own;
        this.writer = new AttributeWriter(asRoot, restoreSetid);
        // "N/." rather than "N": calls that refuse to follow a symlink must not refuse the magic link itself.
        this.hooks = hooks;
        this.stack =
                new DirectoryStack(at.resolve(SELF), own.newDirectoryStream(SELF, NOFOLLOW), writer, asRoot, hooks);
    }

    /** Creates the staging directory in {@code target}'s parent, which must exist and be a real path. */
    static StagingTree createBeside(Path target, boolean restoreSetid, ExtractHooks hooks) throws IOException {
        String base = target.getFileName().toString();
        if (base.length() > MAX_NAME_IN_TEMP) {
            base = base.substring(0, MAX_NAME_IN_TEMP);
        }
        SecureDirectoryStream<Path> parent = OpenDirectories.open(target.getParent());
        SecureDirectoryStream<Path> own = null;
        try {
            // No mkdirat in the JDK: made by path, then opened relative to the parent and checked to be the same.
            Path root = Files.createTempDirectory(target.getParent(), "." + base + ".restore-");
            own = parent.newDirectoryStream(root.getFileName(), NOFOLLOW);
            Object key = own.getFileAttributeView(BasicFileAttributeView.class)
                    .readAttributes()
                    .fileKey();
            if (!key.equals(Files.readAttributes(root, BasicFileAttributes.class, NOFOLLOW)
                    .fileKey())) {
                throw new IOException("the staging directory " + root + " was replaced as it was made");
            }
            // A new directory belongs to the effective uid: owners are restored only when that is root, as
            // nobody else may give files away. The JDK offers no geteuid().
            boolean asRoot = ((Integer) Files.getAttribute(root, "unix:uid", NOFOLLOW)) == 0;
            return new StagingTree(parent, root, key, own, asRoot, restoreSetid, hooks);
        } catch (IOException | RuntimeException e) {
            closeQuietly(own);
            closeQuietly(parent);
            throw e;
        }
    }

    Path root() {
        return root;
    }

    /** {@code path}, below the staging directory as path-based calls reach it, as users know it. */
    Path shown(Path path) {
        return path.startsWith(at) ? root.resolve(at.relativize(path)).normalize() : path;
    }

    List<String> warnings() {
        return writer.warnings();
    }

    /** Makes (or enters, if this restore already made it) the directory {@code p}; its attributes wait. */
    Path directory(EntryPath p, Attributes attributes) throws UnsafeArchiveException, IOException {
        if (!p.isRoot()) {
            SecureDirectoryStream<Path> dir = stack.enter(parentSegments(p), p.name());
            BasicFileAttributes a = DirectoryStack.lstat(dir, Path.of(last(p)));
            if (a != null && !a.isDirectory()) {
                throw replaces(p);
            }
        }
        stack.enter(p.segments(), p.name());
        stack.describe(attributes, p.name());
        return stack.path();
    }

    /** Creates the regular file {@code p}, which must not exist yet, for writing; mode 0600 until it is done. */
    FileChannel newFile(EntryPath p) throws UnsafeArchiveException, IOException {
        SecureDirectoryStream<Path> dir = stack.enter(parentSegments(p), p.name());
        SeekableByteChannel channel;
        try {
            channel = dir.newByteChannel(
                    Path.of(last(p)),
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw replaces(p);
        }
        if (!(channel instanceof FileChannel)) {
            channel.close();
            throw new IOException("this platform's files opened relative to a directory cannot be fsync'ed");
        }
        return (FileChannel) channel;
    }

    /** Where entry {@code p} is, once its parent was entered (by {@link #newFile} for a file). */
    Path placed(EntryPath p) {
        return stack.path().resolve(last(p));
    }

    /** Makes a file just written durable, before it is closed. */
    void sync(FileChannel file) throws IOException {
        hooks.sync(file);
    }

    /** Sets owner (as root), mode and mtime on a regular file just written (and fsync'ed). */
    void fileWritten(Path file, Attributes attributes, EntryPath p) throws IOException {
        writer.apply(file, attributes, p.name());
    }

    /** Stores the symlink {@code p -> target}; the target was checked, and is never followed here. */
    Path symlink(EntryPath p, String target, Attributes attributes) throws UnsafeArchiveException, IOException {
        stack.enter(parentSegments(p), p.name());
        Path link = placed(p);
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (FileAlreadyExistsException e) {
            throw replaces(p);
        }
        writer.applyToSymlink(link, attributes, p.name());
        return link;
    }

    /** Makes {@code p} a hard link to {@code existing}, which must be a regular file already restored. */
    Path hardLink(EntryPath p, String existingName) throws UnsafeArchiveException, IOException {
        EntryPath existing;
        try {
            existing = EntryPath.parse(existingName);
        } catch (UnsafeArchiveException e) {
            throw new UnsafeArchiveException(
                    p.name(), "hard link to '" + existingName + "', which leads outside the" + " target directory");
        }
        Path source = existing.isRoot() ? null : restoredFile(existing);
        if (source == null) {
            throw new UnsafeArchiveException(
                    p.name(),
                    "hard link to '" + existingName + "', which is not a regular" + " file restored before it");
        }
        stack.enter(parentSegments(p), p.name());
        Path link = placed(p);
        try {
            Files.createLink(link, source);
        } catch (FileAlreadyExistsException e) {
            throw replaces(p);
        }
        return link;
    }

    /** Sets the attributes of every directory still open, deepest first, the root last; fsyncs them. */
    void finishDirectories() throws IOException {
        if (!stack.rootDescribed()) {
            writer.warn("the archive has no ./ entry; the restored directory gets mode 0"
                    + Integer.toOctalString(DEFAULT_ROOT_MODE));
            Files.setAttribute(at, "unix:mode", DEFAULT_ROOT_MODE);
        }
        stack.finish();
    }

    /** Renames the finished tree to {@code target} in the same open parent, and makes the rename durable. */
    void moveTo(Path target) throws IOException {
        BasicFileAttributes a = DirectoryStack.lstat(parent, name);
        if (a == null || !key.equals(a.fileKey())) {
            throw new IOException("its staging directory " + root + " was moved or replaced by someone else");
        }
        // Between this check and the rename only the parent's writers could swap it, and the policy admits no
        // parent that another non-root user may write (or, sticky, may rename our entries in).
        parent.move(name, parent, target.getFileName());
        DirectoryStack.fsync(target.getParent(), hooks);
    }

    /**
     * Removes the staging tree through open directories, whatever modes the restore gave it so far.
     *
     * @throws IOException saying what was left, if anything was
     */
    void delete() throws IOException {
        stack.close();
        int[] left = {0};
        deleteContents(own, left);
        BasicFileAttributes a = DirectoryStack.lstat(parent, name);
        if (a == null || !key.equals(a.fileKey())) {
            throw new IOException("its staging directory " + root + " was moved or replaced by someone else during"
                    + " the restore; "
                    + (left[0] == 0
                            ? "its content was removed, the empty directory is wherever" + " they put it"
                            : left[0] + " entries in it could not be removed"));
        }
        if (left[0] > 0) {
            throw new IOException(left[0] + " entries in its staging directory " + root + " could not be removed");
        }
        parent.deleteDirectory(name);
    }

    @Override
    public void close() {
        stack.close();
        closeQuietly(own);
        closeQuietly(parent);
    }

    /** Deletes everything in {@code dir} while listing it (no list of names is held), counting what failed. */
    private static void deleteContents(SecureDirectoryStream<Path> dir, int[] left) {
        try (SecureDirectoryStream<Path> listing = dir.newDirectoryStream(SELF, NOFOLLOW)) {
            for (Path child : listing) {
                Path entry = child.getFileName();
                try {
                    BasicFileAttributes a = DirectoryStack.lstat(dir, entry);
                    if (a != null && a.isDirectory()) {
                        makeWritable(dir, entry);
                        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(entry, NOFOLLOW)) {
                            deleteContents(sub, left);
                        }
                        dir.deleteDirectory(entry);
                    } else if (a != null) {
                        dir.deleteFile(entry);
                    }
                } catch (IOException e) {
                    left[0]++;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            left[0]++;
        }
    }

    /** A restored read-only directory must be writable again to be emptied (root needs no write bit). */
    private static void makeWritable(SecureDirectoryStream<Path> dir, Path entry) {
        try {
            dir.getFileAttributeView(entry, PosixFileAttributeView.class, NOFOLLOW)
                    .setPermissions(PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            // the deletes below will say what is wrong
        }
    }

    /** The regular file restored at {@code p}, reached through real directories only; or null. */
    private Path restoredFile(EntryPath p) throws IOException {
        Path at = this.at;
        List<String> segments = p.segments();
        for (int i = 0; i < segments.size(); i++) {
            at = at.resolve(segments.get(i));
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(at, BasicFileAttributes.class, NOFOLLOW);
            } catch (java.nio.file.NoSuchFileException e) {
                return null;
            }
            boolean lastOne = i == segments.size() - 1;
            if (lastOne ? !a.isRegularFile() : !a.isDirectory()) {
                return null;
            }
        }
        return at;
    }

    private static List<String> parentSegments(EntryPath p) {
        return p.segments().subList(0, p.segments().size() - 1);
    }

    private static String last(EntryPath p) {
        return p.segments().get(p.segments().size() - 1);
    }

    private static UnsafeArchiveException replaces(EntryPath p) {
        return new UnsafeArchiveException(p.name(), "it would replace an earlier entry of the same path");
    }

    private static void closeQuietly(SecureDirectoryStream<Path> dir) {
        if (dir == null) {
            return;
        }
        try {
            dir.close();
        } catch (IOException e) {
            // nothing was written through it that a close could lose
        }
    }
}
