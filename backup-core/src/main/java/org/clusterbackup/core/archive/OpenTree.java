package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.clusterbackup.core.fs.OpenDirectories;

/**
 * A tree read through open directories ({@code openat} semantics, by the JDK's {@link SecureDirectoryStream}),
 * never through paths: the root is opened from {@code /} one component at a time and each directory below it
 * from its open parent, all with {@code O_NOFOLLOW}. So no component of any path is ever followed as a
 * symlink, even when a local user swaps a directory for a symlink in the middle of a backup: the swapped
 * directory simply fails to open (or its entries no longer match), and its entries are skipped with a
 * warning. Nothing outside the root is ever listed or read.
 *
 * <p>Entries are named as in the archive ({@code a/b/c.txt}, {@code a/b/}). The directories from the root
 * down to the last one used stay open, and the next entry reuses their common part; as a scan and a write
 * visit entries in sorted order, each directory is opened about once, and no more descriptors are held than
 * the tree is deep.
 *
 * <p>Not thread-safe: one per scan or write.
 */
final class OpenTree implements AutoCloseable {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Path SELF = Path.of(".");

    private final Path root;
    /** Names of the open directories below the root; {@code open} has one more element, the root first. */
    private final List<String> names = new ArrayList<>();

    private final List<SecureDirectoryStream<Path>> open = new ArrayList<>();

    private OpenTree(Path root, SecureDirectoryStream<Path> rootDir) {
        this.root = root;
        open.add(rootDir);
    }

    /**
     * Opens {@code root}, an absolute path without symlinks (as the agent's path policy resolves it).
     *
     * @throws IOException it is not a directory reached without following a symlink, or cannot be opened
     */
    static OpenTree open(Path root) throws IOException {
        return new OpenTree(root.toAbsolutePath(), OpenDirectories.open(root));
    }

    Path root() {
        return root;
    }

    /**
     * A tree of its own holding the same directories open as this one now, each opened anew from the held
     * one (so a directory swapped for a symlink since it was opened is not seen, as here). This one is only
     * read, so several threads may copy it at once while nothing else uses it.
     */
    OpenTree copy() throws IOException {
        List<SecureDirectoryStream<Path>> again = new ArrayList<>(open.size());
        try {
            for (SecureDirectoryStream<Path> dir : open) {
                again.add(dir.newDirectoryStream(SELF, NOFOLLOW));
            }
        } catch (IOException | RuntimeException e) {
            for (SecureDirectoryStream<Path> dir : again) {
                try {
                    dir.close();
                } catch (IOException ignored) {
                    // Closing a directory we only read loses nothing.
                }
            }
            throw e;
        }
        OpenTree copy = new OpenTree(root, again.get(0));
        copy.open.addAll(again.subList(1, again.size()));
        copy.names.addAll(names);
        return copy;
    }

    /** Where {@code name} is, for messages and test seams: it is never opened by this path. */
    Path path(String name) {
        return name.equals(ManifestEntry.ROOT_NAME) ? root : root.resolve(trimSlash(name));
    }

    /** The root's own stat. */
    FileStat rootStat() throws IOException {
        return FileStat.ofOpen(open.get(0), root);
    }

    /** The names in directory {@code dirName} ({@code ./} for the root), as the file system spells them. */
    List<Path> list(String dirName) throws IOException {
        List<Path> children = new ArrayList<>();
        // A directory stream iterates once; a fresh one of the same directory lists it ("." is no symlink).
        try (SecureDirectoryStream<Path> stream =
                directory(dirSegments(dirName)).newDirectoryStream(SELF, NOFOLLOW)) {
            for (Path child : stream) {
                children.add(child.getFileName());
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return children;
    }

    /** Stats entry {@code name} in its open parent directory. */
    FileStat stat(String name) throws IOException {
        List<String> segments = segments(name);
        return FileStat.of(parentOf(segments), Path.of(last(segments)), path(name));
    }

    /** The extended attributes of entry {@code name}, whose stat was {@code stat} (see {@link Xattrs#read}). */
    Xattrs xattrs(String name, FileStat stat) throws IOException {
        return Xattrs.read(path(name), stat);
    }

    /** Opens regular file {@code name} for reading, relative to its open parent, with {@code O_NOFOLLOW}. */
    SeekableByteChannel openFile(String name) throws IOException {
        List<String> segments = segments(name);
        return parentOf(segments).newByteChannel(Path.of(last(segments)), Set.of(StandardOpenOption.READ, NOFOLLOW));
    }

    /**
     * The target of symlink {@code name}, whose stat was {@code stat}. The JDK cannot read a link relative to
     * an open directory, so it reads it by path, then checks that the path still leads to the same link: a
     * swap in between could at worst show another link's target, never a file's content.
     */
    String readLink(String name, FileStat stat) throws IOException {
        String target = Files.readSymbolicLink(path(name)).toString();
        if (!stat(name).unchangedSince(stat)) {
            throw new TreeChangedException(path(name));
        }
        return target;
    }

    @Override
    public void close() {
        closeFrom(0);
    }

    private SecureDirectoryStream<Path> parentOf(List<String> segments) throws IOException {
        return directory(segments.subList(0, segments.size() - 1));
    }

    /** The open directory at {@code segments} below the root, opening what is missing from the open chain. */
    private SecureDirectoryStream<Path> directory(List<String> segments) throws IOException {
        int common = 0;
        while (common < names.size()
                && common < segments.size()
                && names.get(common).equals(segments.get(common))) {
            common++;
        }
        closeFrom(common + 1);
        for (int i = common; i < segments.size(); i++) {
            String name = segments.get(i);
            SecureDirectoryStream<Path> child =
                    descend(open.get(i), Path.of(name), root.resolve(String.join("/", segments.subList(0, i + 1))));
            names.add(name);
            open.add(child);
        }
        return open.get(segments.size());
    }

    /** Opens directory {@code name} of {@code dir} without following it, saying so if it became a symlink. */
    private static SecureDirectoryStream<Path> descend(SecureDirectoryStream<Path> dir, Path name, Path where)
            throws IOException {
        try {
            return dir.newDirectoryStream(name, NOFOLLOW);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            boolean link;
            try {
                link = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
                        .readAttributes()
                        .isSymbolicLink();
            } catch (IOException gone) {
                throw e;
            }
            if (link) {
                throw new TreeChangedException(where, "it is a symlink where a directory was expected, never followed");
            }
            throw e;
        }
    }

    private void closeFrom(int depth) {
        while (open.size() > depth) {
            SecureDirectoryStream<Path> dir = open.remove(open.size() - 1);
            if (!names.isEmpty() && names.size() >= open.size()) {
                names.remove(names.size() - 1);
            }
            try {
                dir.close();
            } catch (IOException e) {
                // Closing a directory we only read loses nothing.
            }
        }
    }

    private static List<String> dirSegments(String dirName) {
        return dirName.equals(ManifestEntry.ROOT_NAME) ? List.of() : segments(dirName);
    }

    private static List<String> segments(String name) {
        return List.of(trimSlash(name).split("/"));
    }

    private static String last(List<String> segments) {
        return segments.get(segments.size() - 1);
    }

    private static String trimSlash(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}
