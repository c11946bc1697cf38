package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.GnuTar;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeExtractorTest {
    @TempDir
    Path tmp;

    private Path restores;
    private Path target;
    private final SafeExtractor extractor = new SafeExtractor(ExtractHooks.NONE);

    @BeforeEach
    void setUp() throws IOException {
        restores = Files.createDirectories(tmp.resolve("restores"));
        target = restores.resolve("app");
    }

    @Test
    void treeArchivedByTreeArchiverIsRestoredExactly() throws Exception {
        Path original = restorableSample();
        Path archive = archive(original);

        ExtractResult result = extract(archive);

        assertEquals(Trees.describe(original), Trees.describe(target));
        assertEquals("d 0701", Trees.describe(target).get("./"));
        assertEquals("d 0555", Trees.describe(target).get("ro/"));
        assertEquals("d 0755", Trees.describe(target).get("empty/"));
        assertEquals(10, result.files(), "8 regular files and 2 symlinks");
        assertEquals(sizeOfFiles(original), result.bytes());
        assertEquals(List.of(), result.warnings());
        assertEquals(List.of("app"), names(restores), "no staging directory is left beside the target");
    }

    @Test
    void mtimesOfFilesDirectoriesAndSymlinksAreRestored() throws Exception {
        Path original = restorableSample();
        Trees.shiftMtime(original.resolve("a/b/c/deep.txt"), -86_400);
        Trees.shiftMtime(original.resolve("ro"), -3_600);
        Trees.shiftMtime(original.resolve("a/b"), -7_200);

        extract(archive(original));

        for (String name : List.of("a/b/c/deep.txt", "ro", "a/b", "a/link", ".")) {
            assertEquals(wholeSeconds(original.resolve(name)), wholeSeconds(target.resolve(name)), name);
        }
    }

    @Test
    void archiveMadeByGnuTarIsRestoredExactly() throws Exception {
        Path original = restorableSample();
        Path archive = tmp.resolve("gnu.tgz");
        GnuTar.create(original, archive, ".");

        extract(archive);

        assertEquals(Trees.describe(original), Trees.describe(target));
    }

    @Test
    void sparseFileArchivedByGnuTarIsRestoredWithItsHolesAsZeros() throws Exception {
        Path original = Files.createDirectories(tmp.resolve("sparse"));
        try (RandomAccessFile f =
                new RandomAccessFile(original.resolve("holes.img").toFile(), "rw")) {
            f.setLength(3 << 20);
            f.seek(1 << 20);
            f.write("middle".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            f.seek((3 << 20) - 4);
            f.write("end\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Path archive = tmp.resolve("sparse.tgz");
        GnuTar.create(original, archive, "--sparse", ".");

        ExtractResult result = extract(archive);

        assertEquals(Trees.sha256(original.resolve("holes.img")), Trees.sha256(target.resolve("holes.img")));
        assertEquals(3 << 20, result.bytes());
    }

    @Test
    void emptyDirectoryAtTheTargetIsReplacedByTheRestoredTree() throws Exception {
        Files.createDirectory(target);
        Trees.chmod(target, 0700);
        Path original = restorableSample();

        extract(archive(original));

        assertEquals(Trees.describe(original), Trees.describe(target));
        assertEquals(List.of("app"), names(restores));
    }

    @Test
    void nothingAppearsAtTheTargetUntilTheWholeArchiveIsRead() throws Exception {
        Path original = restorableSample();
        List<String> seen = new ArrayList<>();
        ExtractHooks watcher = new ExtractHooks() {
            @Override
            public void afterEntry(String name, Path written) {
                assertTrue(written.startsWith(restores), written.toString());
                assertFalse(written.startsWith(target), written.toString());
                seen.add(name + (Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? " target exists" : ""));
            }

            @Override
            public void beforeMove(Path staging, Path into) throws IOException {
                assertEquals(target, into);
                assertEquals(
                        "." + target.getFileName() + ".restore-",
                        staging.getFileName().toString().replaceAll("[0-9]+$", ""));
                assertEquals(Trees.describe(original), Trees.describe(staging));
                assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
            }
        };

        try (InputStream in = Files.newInputStream(archive(original))) {
            new SafeExtractor(watcher).extract(in, target);
        }

        assertEquals(Trees.describe(original).size(), seen.size(), seen::toString);
        assertTrue(seen.stream().noneMatch(s -> s.endsWith("target exists")), seen::toString);
    }

    @Test
    void hardLinkToAnEarlierFileIsRestoredAsAHardLink() throws Exception {
        byte[] tgz = Tgz.archive()
                .dir("./", 0755)
                .file("data/a.txt", "shared\n")
                .hardLink("data/b.txt", "data/a.txt")
                .bytes();

        ExtractResult result = extractor.extract(new ByteArrayInputStream(tgz), target);

        assertEquals(2, result.files());
        assertEquals(7, result.bytes());
        assertTrue(Files.isSameFile(target.resolve("data/a.txt"), target.resolve("data/b.txt")));
    }

    @Test
    void ownersAreRestoredWhenRunningAsRoot() throws Exception {
        assumeTrue(isRoot(), "only root may give files away");
        byte[] tgz = Tgz.archive()
                .dir("./", 0755)
                .file("owned.txt", 0644, 1234, 5678, "theirs\n")
                .symlink("link", "owned.txt")
                .bytes();

        ExtractResult result = extractor.extract(new ByteArrayInputStream(tgz), target);

        assertEquals(1234, Files.getAttribute(target.resolve("owned.txt"), "unix:uid"));
        assertEquals(5678, Files.getAttribute(target.resolve("owned.txt"), "unix:gid"));
        assertEquals(0, Files.getAttribute(target.resolve("link"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void setuidAndStickyBitsSurviveTheOwnerBeingSetWhenSetidIsAllowed() throws Exception {
        byte[] tgz = Tgz.archive()
                .dir("./", 01777)
                .file("tool", 04755, 1234, 5678, "#!/bin/sh\n")
                .bytes();

        new SafeExtractor(ExtractHooks.NONE, RestoreLimits.DEFAULT.withRestoreSetid(true))
                .extract(new ByteArrayInputStream(tgz), target);

        assertEquals(04755, mode(target.resolve("tool")), "chown clears setuid, so the mode is set after it");
        assertEquals(01777, mode(target));
    }

    @Test
    void setuidAndSetgidBitsAreDroppedByDefaultAndCounted() throws Exception {
        byte[] tgz = Tgz.archive()
                .dir("./", 01777)
                .dir("shared/", 02775)
                .file("tool", 04755, 0, 0, "#!/bin/sh\n")
                .file("plain", 0644, "x\n")
                .bytes();

        ExtractResult result = extractor.extract(new ByteArrayInputStream(tgz), target);

        assertEquals(0755, mode(target.resolve("tool")), "a setuid-root binary is not recreated unasked");
        assertEquals(0775, mode(target.resolve("shared")));
        assertEquals(01777, mode(target), "the sticky bit is no privilege and stays");
        assertEquals(
                List.of("setuid/setgid bits dropped from 2 entries (shared/, tool); the agent restores them"
                        + " only with --restore-setid"),
                result.warnings());
    }

    @Test
    void archiveWithoutARootEntryGivesTheTargetMode0755WithAWarning() throws Exception {
        byte[] tgz = Tgz.archive().file("only.txt", "alone\n").bytes();

        ExtractResult result = extractor.extract(new ByteArrayInputStream(tgz), target);

        assertEquals(0755, mode(target));
        assertEquals(List.of("the archive has no ./ entry; the restored directory gets mode 0755"), result.warnings());
    }

    @Test
    void theCallersStreamIsReadToItsEndAndNotClosed() throws Exception {
        byte[] tgz = Tgz.archive().dir("./", 0755).file("a.txt", "a\n").bytes();
        boolean[] closed = {false};
        ByteArrayInputStream in = new ByteArrayInputStream(tgz) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        extractor.extract(in, target);

        assertEquals(0, in.available());
        assertFalse(closed[0]);
    }

    /**
     * {@link Trees#sample}, but its dangling symlink {@code ../nowhere/at/all} points outside the tree, which
     * a restore refuses: here it dangles inside instead.
     */
    private Path restorableSample() throws IOException {
        Path root = Trees.sample(tmp);
        Files.delete(root.resolve("dangling"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere/at/all"));
        return root;
    }

    private Path archive(Path root) throws IOException {
        return Trees.archive(root, tmp.resolve("backup.tgz"));
    }

    private ExtractResult extract(Path archive) throws IOException, UnsafeArchiveException {
        try (InputStream in = Files.newInputStream(archive)) {
            return extractor.extract(in, target);
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long sizeOfFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            long total = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    total += Files.size(p);
                }
            }
            return total;
        }
    }

    private static long wholeSeconds(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000;
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private boolean isRoot() throws IOException {
        return (Integer) Files.getAttribute(tmp, "unix:uid") == 0;
    }
}
