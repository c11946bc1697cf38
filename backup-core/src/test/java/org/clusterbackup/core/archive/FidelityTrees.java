package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Trees with what GNU tar keeps only when asked: hard links, sparse files, extended attributes and sub-second
 * mtimes, and the checks on what comes back. Extended attributes are only set where the file system of the
 * temp dir takes them: a test that needs them skips, saying why, rather than passing without them.
 */
public final class FidelityTrees {
    /** Logical length of the large sparse file: streamed (over 1 MiB), three data regions. */
    public static final long BIG_SPARSE = 8L << 20;

    private FidelityTrees() {}

    /** Skips the calling test unless {@code dir}'s file system keeps {@code user.*} attributes. */
    public static void assumeXattrs(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, "xattr-probe", "");
        try {
            setXattr(probe, "user.probe", "1");
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(
                    false,
                    "the file system of " + dir + " refuses user.* extended attributes (" + e
                            + "); the attribute checks cannot run here");
        } finally {
            Files.delete(probe);
        }
    }

    /**
     * A tree with: {@code data/first.bin} and two more names of it ({@code data/link1}, {@code other/link2}); a
     * streamed sparse file {@code sparse/big.img} and a buffered one {@code sparse/small.img} (holes of 512 KiB);
     * a file that ends in a hole; user attributes on {@code attrs/tagged.txt} and the directory {@code attrs/}
     * when {@code xattrs}; and sub-second mtimes on several entries.
     */
    public static Path build(Path parent, boolean xattrs) throws IOException {
        Path root = Files.createDirectories(parent.resolve("fidelity"));
        Path orig = Trees.write(root, "data/first.bin", "shared content\n".repeat(100));
        Files.createLink(Files.createDirectories(root.resolve("data")).resolve("link1"), orig);
        Files.createLink(Files.createDirectories(root.resolve("other")).resolve("link2"), orig);
        Files.createDirectories(root.resolve("sparse"));
        sparse(root.resolve("sparse/big.img"), BIG_SPARSE, new long[] {0, 3L << 20, BIG_SPARSE - 5000});
        sparse(root.resolve("sparse/small.img"), 900 * 1024, new long[] {100, 600 * 1024});
        sparse(root.resolve("sparse/tail-hole.img"), 2L << 20, new long[] {10});
        Trees.write(root, "attrs/tagged.txt", "tagged\n");
        Trees.write(root, "plain.txt", "plain\n");
        if (xattrs) {
            setXattr(root.resolve("attrs/tagged.txt"), "user.origin", "build 42");
            setXattr(root.resolve("attrs/tagged.txt"), "user.checked", "yes");
            setXattr(root.resolve("attrs"), "user.team", "storage");
        }
        setNanos(root.resolve("plain.txt"), 1_700_000_000L, 123_456_789);
        setNanos(orig, 1_700_000_100L, 500_000_000);
        setNanos(root.resolve("sparse/big.img"), 1_700_000_200L, 1);
        setNanos(root.resolve("attrs"), 1_700_000_300L, 999_999_999);
        setNanos(root.resolve("sparse/tail-hole.img"), 1_700_000_400L, 0);
        return root;
    }

    /** A file of {@code length} bytes, holes but for 4 KiB of data at each of {@code dataAt}. */
    public static void sparse(Path file, long length, long[] dataAt) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
            for (long at : dataAt) {
                f.seek(at);
                byte[] data =
                        ("data at " + at + "\n").repeat(1000).substring(0, 4096).getBytes(StandardCharsets.US_ASCII);
                f.write(data, 0, (int) Math.min(data.length, length - at));
            }
        }
    }

    public static void setXattr(Path path, String name, String value) throws IOException {
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new IOException("no user-defined attribute view");
        }
        view.write(name.substring("user.".length()), ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code user.*} attributes of {@code path}, full names to values. */
    public static Map<String, String> xattrs(Path path) throws IOException {
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        Map<String, String> out = new TreeMap<>();
        for (String name : view.list()) {
            ByteBuffer b = ByteBuffer.allocate(view.size(name));
            view.read(name, b);
            out.put("user." + name, new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }
        return out;
    }

    public static void setNanos(Path path, long seconds, int nanos) throws IOException {
        Files.getFileAttributeView(
                        path, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(Instant.ofEpochSecond(seconds, nanos)), null, null);
    }

    public static Instant mtime(Path path) throws IOException {
        return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
    }

    public static long inode(Path path) throws IOException {
        return (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    /** Bytes the file system allocated for {@code file} ({@code st_blocks × 512}, which the JDK does not show). */
    public static long allocated(Path file) throws IOException {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString())
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("stat failed: " + out);
            }
            return Long.parseLong(out) * 512;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Checks that {@code restored} has what {@code original} had: same content and mtimes to the nanosecond,
     * the three names of one file sharing one inode, holes that are holes, and (if {@code xattrs}) the
     * attributes.
     */
    public static void assertKept(Path original, Path restored, boolean xattrs) throws IOException {
        org.junit.jupiter.api.Assertions.assertEquals(Trees.describe(original), Trees.describe(restored));
        for (String name : new String[] {"plain.txt", "data/first.bin", "sparse/big.img", "attrs"}) {
            org.junit.jupiter.api.Assertions.assertEquals(
                    mtime(original.resolve(name)), mtime(restored.resolve(name)), "mtime of " + name);
        }
        long ino = inode(restored.resolve("data/first.bin"));
        org.junit.jupiter.api.Assertions.assertEquals(
                ino, inode(restored.resolve("data/link1")), "data/link1 is a link");
        org.junit.jupiter.api.Assertions.assertEquals(
                ino, inode(restored.resolve("other/link2")), "other/link2 is a link");
        for (String name : new String[] {"sparse/big.img", "sparse/tail-hole.img"}) {
            long allocated = allocated(restored.resolve(name));
            org.junit.jupiter.api.Assertions.assertTrue(
                    allocated <= 256 * 1024,
                    name + " keeps its holes: " + allocated + " bytes allocated of "
                            + Files.size(restored.resolve(name)));
        }
        if (xattrs) {
            org.junit.jupiter.api.Assertions.assertEquals(
                    Map.of("user.origin", "build 42", "user.checked", "yes"),
                    xattrs(restored.resolve("attrs/tagged.txt")));
            org.junit.jupiter.api.Assertions.assertEquals(
                    Map.of("user.team", "storage"), xattrs(restored.resolve("attrs")));
        }
    }
}
