package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Builds test trees on disk and describes trees for comparison. */
public final class Trees {
    public static final String LONG_NAME = "n".repeat(150) + ".txt";

    private Trees() {}

    /**
     * Nested directories, an empty directory, a relative and a dangling symlink, a 0750 file, a 150-character
     * name, a non-ASCII name, an empty file, and a read-only directory.
     */
    public static Path sample(Path parent) throws IOException {
        Path root = Files.createDirectories(parent.resolve("tree"));
        write(root, "top.txt", "top level\n");
        write(root, "a/b/c/deep.txt", "deep inside\n");
        write(root, "a/sibling.txt", "next to b\n");
        Files.createDirectories(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("a/link"), Path.of("b/c/deep.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("../nowhere/at/all"));
        Path script = write(root, "bin/run.sh", "#!/bin/sh\necho run\n");
        chmod(script, 0750);
        write(root, "long/" + LONG_NAME, "a long name\n");
        write(root, "données/été.txt", "non-ASCII names\n");
        write(root, "empty.txt", "");
        write(root, "ro/inside.txt", "in a read-only dir\n");
        chmod(root.resolve("ro"), 0555);
        chmod(root, 0701);
        return root;
    }

    public static Path write(Path root, String name, String content) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    public static void chmod(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode);
    }

    /** Moves mtime by {@code seconds}, as {@code touch} would, content untouched. */
    public static void shiftMtime(Path path, long seconds) throws IOException {
        FileTime t = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
        Files.setLastModifiedTime(path, FileTime.from(t.to(TimeUnit.SECONDS) + seconds, TimeUnit.SECONDS));
    }

    /**
     * Name → "type mode content" for every entry under {@code root}, the root itself as "./": directories
     * with their mode, files with mode and SHA-256, symlinks with their target.
     */
    public static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String name = root.relativize(p).toString();
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                String perms = String.format("%04o", mode & 07777);
                if (Files.isSymbolicLink(p)) {
                    out.put(name, "l " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(name.isEmpty() ? "./" : name + "/", "d " + perms);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(name, "f " + perms + " " + sha256(p));
                } else {
                    out.put(name, "special");
                }
            }
        }
        return out;
    }

    /** Scans {@code root} and writes it to {@code archive} with default options and no stat cache. */
    public static Path archive(Path root, Path archive) throws IOException {
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());
        try (java.io.OutputStream out = Files.newOutputStream(archive)) {
            archiver.write(archiver.scan(root, StatCache.empty()), StatCache.empty(), out);
        }
        return archive;
    }

    /** Damages a file the way a bad disk does: one bit of its middle byte flipped, its size unchanged. */
    public static void flipByte(Path file) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
    }

    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
