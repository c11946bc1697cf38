package org.clusterbackup.core.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The directories of the staging tree from its root down to the one the current entry goes into, held open.
 * Entries are created relative to these open directories, and a directory on the way is opened with
 * {@code O_NOFOLLOW}: a symlink (one the archive made, or anyone else) is never followed.
 *
 * <p><b>Memory does not grow with the number of directories.</b> A directory gets its mode, times and owner
 * when the extraction leaves it (deepest first, so a read-only directory is filled before it becomes
 * read-only, and writing into a directory does not disturb its restored mtime), then it is fsync'ed and
 * closed. Nothing is remembered about it. Archives list a directory's content together (GNU tar's order and
 * ours), so each is left once; should an entry come back into a directory already left, its attributes are
 * read back from the directory itself and set again when it is left again. A repeated directory entry then
 * wins, as it does with GNU tar.
 *
 * <p>Not thread-safe: one per restore.
 */
final class DirectoryStack implements AutoCloseable {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** One open directory; {@code attributes} are what to set when it is left, null for none. */
    private static final class Frame {
        final String name;
        final Path path;
        final SecureDirectoryStream<Path> dir;
        StagingTree.Attributes attributes;
        String entryName;

        Frame(String name, Path path, SecureDirectoryStream<Path> dir) {
            this.name = name;
            this.path = path;
            this.dir = dir;
        }
    }

    private final List<Frame> frames = new ArrayList<>();
    private final AttributeWriter writer;
    private final boolean asRoot;
    private final ExtractHooks hooks;

    DirectoryStack(
            Path root,
            SecureDirectoryStream<Path> rootDir,
            AttributeWriter writer,
            boolean asRoot,
            ExtractHooks hooks) {
        frames.add(new Frame("", root, rootDir));
        this.writer = writer;
        this.asRoot = asRoot;
        this.hooks = hooks;
    }

    /**
     * The open directory {@code segments} below the root, leaving (and finishing) directories not on its way
     * and creating those missing.
     *
     * @param entry the archive entry being written, for messages
     */
    SecureDirectoryStream<Path> enter(List<String> segments, String entry) throws UnsafeArchiveException, IOException {
        int common = 0;
        while (common + 1 < frames.size()
                && common < segments.size()
                && frames.get(common + 1).name.equals(segments.get(common))) {
            common++;
        }
        leave(common + 1);
        for (int i = common; i < segments.size(); i++) {
            frames.add(open(
                    frames.get(frames.size() - 1),
                    segments.get(i),
                    entry,
                    String.join("/", segments.subList(0, i + 1))));
        }
        return top().dir;
    }

    /** Where the directory last entered is, inside the staging tree. */
    Path path() {
        return top().path;
    }

    /** What to set on the directory last entered when it is left (the archive's entry for it). */
    void describe(StagingTree.Attributes attributes, String entryName) {
        top().attributes = attributes;
        top().entryName = entryName;
    }

    /** Whether the root has had its own entry ({@code ./}). */
    boolean rootDescribed() {
        return frames.get(0).attributes != null;
    }

    /** Leaves every directory, the root last, setting attributes and fsync'ing each. */
    void finish() throws IOException {
        leave(0);
    }

    /** Closes what is still open without setting anything: the restore failed. */
    @Override
    public void close() {
        while (!frames.isEmpty()) {
            closeQuietly(frames.remove(frames.size() - 1).dir);
        }
    }

    private Frame top() {
        return frames.get(frames.size() - 1);
    }

    private void leave(int keep) throws IOException {
        while (frames.size() > keep) {
            Frame f = frames.get(frames.size() - 1);
            if (f.attributes != null) {
                writer.apply(f.path, f.attributes, f.entryName);
            }
            fsync(f.path, hooks);
            frames.remove(frames.size() - 1);
            closeQuietly(f.dir);
        }
    }

    private Frame open(Frame parent, String name, String entry, String shown)
            throws UnsafeArchiveException, IOException {
        Path child = Path.of(name);
        Path path = parent.path.resolve(name);
        BasicFileAttributes a = lstat(parent.dir, child);
        boolean created = a == null;
        if (created) {
            // The JDK has no mkdirat; the path lies in the private staging directory, which no one else can enter.
            Files.createDirectory(path);
        } else if (a.isSymbolicLink()) {
            throw new UnsafeArchiveException(entry, "its path goes through the symlink '" + shown + "'");
        } else if (!a.isDirectory()) {
            throw new UnsafeArchiveException(entry, "its path goes through '" + shown + "', which is not a directory");
        }
        Frame frame = new Frame(name, path, parent.dir.newDirectoryStream(child, NOFOLLOW));
        if (!created) {
            comeBack(frame, shown + "/");
        }
        return frame;
    }

    /**
     * An entry comes back into a directory already left: what was set on it is read back, to be set again
     * when it is left again, and it is made writable meanwhile (root needs no write bit).
     */
    private void comeBack(Frame frame, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(frame.path, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
        int mode = (Integer) a.get("mode") & 07777;
        frame.attributes = new StagingTree.Attributes(
                mode,
                (FileTime) a.get("lastModifiedTime"),
                Integer.toUnsignedLong((Integer) a.get("uid")),
                Integer.toUnsignedLong((Integer) a.get("gid")));
        frame.entryName = name;
        if (!asRoot && (mode & 0700) != 0700) {
            Files.setAttribute(frame.path, "unix:mode", mode | 0700, NOFOLLOW);
        }
    }

    static BasicFileAttributes lstat(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Makes a directory's entries durable before the tree is renamed into place. A directory whose restored
     * mode denies its owner reading cannot be opened by an agent that is not root; it is then left to the
     * file system's own commit.
     */
    static void fsync(Path directory, ExtractHooks hooks) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ, NOFOLLOW)) {
            hooks.sync(d);
        } catch (AccessDeniedException e) {
            // see above
        }
    }

    private static void closeQuietly(SecureDirectoryStream<Path> dir) {
        try {
            dir.close();
        } catch (IOException e) {
            // Closing a directory handle loses nothing: what was written is synced separately.
        }
    }
}
