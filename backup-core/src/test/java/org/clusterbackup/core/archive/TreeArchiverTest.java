package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeArchiverTest {
    @TempDir
    Path tmp;

    private final CountingOpener opener = new CountingOpener();
    private final TreeArchiver archiver =
            new TreeArchiver(ArchiveOptions.defaults().withOpener(opener));

    /** A symlink target of 100 bytes or more, and not ASCII, needs a PAX linkpath record. */
    private static final String LONG_TARGET = "cible-à-".repeat(15) + Trees.LONG_NAME;

    @Test
    void gnuTarExtractsExactlyTheScannedTree() throws IOException {
        Path root = sampleWithLongLink();
        Path archive = tmp.resolve("out.tgz");

        TreeScan scan = archiver.scan(root, StatCache.empty());
        ArchiveSummary summary = writeTo(archive, scan);

        GnuTar.gzipTest(archive);
        Path restored = Files.createDirectory(tmp.resolve("restored"));
        GnuTar.extract(archive, restored);
        assertEquals(Trees.describe(root), Trees.describe(restored));
        assertEquals(List.of(), summary.warnings());
        assertEquals(scan.digest(), summary.digest());
        assertEquals(11, scan.files(), "8 regular files and 3 symlinks");
        assertEquals(scan.files(), summary.files());
    }

    @Test
    void archiveNamesAreRelativeRootFirstAndSorted() throws IOException {
        Path root = Trees.sample(tmp);
        Path archive = tmp.resolve("out.tgz");

        writeTo(archive, archiver.scan(root, StatCache.empty()));

        List<String> names = GnuTar.list(archive);
        assertEquals("./", names.get(0));
        for (String name : names) {
            assertFalse(name.startsWith("/"), name);
            assertFalse(List.of(name.split("/")).contains(".."), name);
        }
        List<String> rest = new ArrayList<>(names.subList(1, names.size()));
        rest.sort((a, b) -> java.util.Arrays.compareUnsigned(
                a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(rest, names.subList(1, names.size()));
        assertTrue(names.contains("long/" + Trees.LONG_NAME));
        assertTrue(names.contains("données/été.txt"));
        assertTrue(names.contains("empty/"));
    }

    @Test
    void entriesCarryModesOwnersAndTimesToTheNanosecond() throws IOException {
        Path root = sampleWithLongLink();
        Path archive = tmp.resolve("out.tgz");

        writeTo(archive, archiver.scan(root, StatCache.empty()));

        List<String> verbose = GnuTar.listVerbose(archive);
        assertTrue(
                verbose.stream().anyMatch(l -> l.startsWith("-rwxr-x--- 0/0") && l.endsWith(" bin/run.sh")),
                verbose::toString);
        assertTrue(
                verbose.stream()
                        .anyMatch(l -> l.startsWith("lrwxrwxrwx 0/0") && l.endsWith(" dangling -> ../nowhere/at/all")),
                verbose::toString);
        assertTrue(
                verbose.stream().anyMatch(l -> l.startsWith("drwx-----x 0/0") && l.endsWith(" ./")), verbose::toString);
        assertTrue(verbose.stream().anyMatch(l -> l.endsWith(" long/link -> " + LONG_TARGET)), verbose::toString);
        Path restored = Files.createDirectory(tmp.resolve("restored"));
        GnuTar.extract(archive, restored);
        Path original = root.resolve("a/b/c/deep.txt");
        assertEquals(
                Files.getLastModifiedTime(original).toInstant(),
                Files.getLastModifiedTime(restored.resolve("a/b/c/deep.txt")).toInstant());
    }

    @Test
    void twoWritesOfTheSameTreeAreByteIdentical() throws IOException {
        Path root = Trees.sample(tmp);
        StatCache warm = StatCache.empty();

        byte[] first = bytes(archiver.scan(root, StatCache.empty()), StatCache.empty());
        byte[] second = bytes(archiver.scan(root, warm), warm);
        byte[] third = bytes(archiver.scan(root, warm), warm);

        assertArrayEquals(first, second);
        assertArrayEquals(first, third);
    }

    @Test
    void gzipLevelChangesOnlyTheCompression() throws IOException {
        Path root = Trees.sample(tmp);
        Trees.write(root, "big.txt", "compressible text ".repeat(20_000));
        TreeScan scan = archiver.scan(root, StatCache.empty());
        Path fast = tmp.resolve("fast.tgz");
        Path stored = tmp.resolve("stored.tgz");

        new TreeArchiver(ArchiveOptions.defaults().withGzipLevel(1))
                .write(scan, StatCache.empty(), Files.newOutputStream(fast));
        new TreeArchiver(ArchiveOptions.defaults().withGzipLevel(0))
                .write(scan, StatCache.empty(), Files.newOutputStream(stored));

        GnuTar.gzipTest(stored);
        assertTrue(Files.size(stored) > 360_000, "level 0 stores: " + Files.size(stored));
        assertTrue(Files.size(fast) < 60_000, "level 1 compresses: " + Files.size(fast));
        assertEquals(GnuTar.list(fast), GnuTar.list(stored));
    }

    @Test
    void fifoIsSkippedWithAWarningAndTheArchiveIsFine() throws IOException, InterruptedException {
        Path root = Trees.sample(tmp);
        Files.createDirectories(root.resolve("logs"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("logs/pipe").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Path archive = tmp.resolve("out.tgz");

        TreeScan scan = archiver.scan(root, StatCache.empty());
        ArchiveSummary summary = writeTo(archive, scan);

        assertEquals(List.of("skipped fifo logs/pipe"), scan.warnings());
        assertEquals(List.of("skipped fifo logs/pipe"), summary.warnings());
        GnuTar.gzipTest(archive);
        List<String> names = GnuTar.list(archive);
        assertTrue(names.contains("logs/"));
        assertFalse(names.contains("logs/pipe"));
    }

    @Test
    void unreadableFileIsSkippedWithAWarningAndTheRestIsArchived() throws IOException {
        Path root = Trees.sample(tmp);
        opener.deny(root.resolve("a/sibling.txt"));
        Path archive = tmp.resolve("out.tgz");

        TreeScan scan = archiver.scan(root, StatCache.empty());
        ArchiveSummary summary = writeTo(archive, scan);

        assertEquals(List.of("unreadable a/sibling.txt: Permission denied"), summary.warnings());
        List<String> names = GnuTar.list(archive);
        assertFalse(names.contains("a/sibling.txt"));
        assertTrue(names.contains("a/b/c/deep.txt"));
        GnuTar.gzipTest(archive);
    }

    @Test
    void fileThatBecomesUnreadableAfterTheScanIsSkippedByTheWrite() throws IOException {
        Path root = Trees.sample(tmp);
        Path archive = tmp.resolve("out.tgz");
        TreeScan scan = archiver.scan(root, StatCache.empty());
        opener.deny(root.resolve("top.txt"));

        ArchiveSummary summary = writeTo(archive, scan);

        assertEquals(List.of("unreadable top.txt: Permission denied"), summary.warnings());
        assertEquals(scan.files() - 1, summary.files());
        assertFalse(GnuTar.list(archive).contains("top.txt"));
        assertEquals(archiver.scan(root, StatCache.empty()).digest(), digestWithout(scan, "top.txt"));
        assertEquals(digestWithout(scan, "top.txt"), summary.digest());
    }

    @Test
    void writeFlushesButNeverClosesTheCallersStream() throws IOException {
        Path root = Trees.sample(tmp);
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        archiver.write(archiver.scan(root, StatCache.empty()), StatCache.empty(), sink);

        assertFalse(closed[0]);
        assertTrue(sink.size() > 0);
    }

    @Test
    void failingOutputStreamFailsTheWrite() throws IOException {
        Path root = Trees.sample(tmp);
        TreeScan scan = archiver.scan(root, StatCache.empty());
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        };

        IOException e = assertThrows(IOException.class, () -> archiver.write(scan, StatCache.empty(), broken));
        assertEquals("connection reset", e.getMessage());
    }

    @Test
    void nameThatIsNotUtf8IsSkippedWithAWarning() throws IOException, InterruptedException {
        Path root = Trees.sample(tmp);
        // Java cannot spell such a name; the shell can.
        Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'bad\\377name')\"")
                .directory(root.toFile())
                .start();
        assertEquals(0, touch.waitFor());
        Path archive = tmp.resolve("out.tgz");

        TreeScan scan = archiver.scan(root, StatCache.empty());
        ArchiveSummary summary = writeTo(archive, scan);

        assertEquals(List.of("skipped bad\uFFFDname: its name is not valid UTF-8"), summary.warnings());
        GnuTar.gzipTest(archive);
        assertEquals(scan.entries().size(), GnuTar.list(archive).size());
    }

    @Test
    void rootThatIsNotADirectoryIsRefused() throws IOException {
        Path file = Trees.write(tmp, "plain.txt", "x");

        assertThrows(NotDirectoryException.class, () -> archiver.scan(file, StatCache.empty()));
    }

    @Test
    void symlinksAreStoredNeverFollowed() throws IOException {
        Path outside = Trees.write(tmp, "outside/secret.txt", "not in the tree\n");
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createSymbolicLink(root.resolve("to-dir"), outside.getParent());
        Files.createSymbolicLink(root.resolve("to-file"), outside);

        TreeScan scan = archiver.scan(root, StatCache.empty());

        assertEquals(
                List.of("./", "to-dir", "to-file"),
                scan.entries().stream().map(ManifestEntry::name).toList());
        assertEquals(EntryType.SYMLINK, scan.entries().get(1).type());
        assertEquals(outside.getParent().toString(), scan.entries().get(1).linkTarget());
        assertEquals(0, opener.opens());
    }

    private Path sampleWithLongLink() throws IOException {
        Path root = Trees.sample(tmp);
        Files.createSymbolicLink(root.resolve("long/link"), Path.of(LONG_TARGET));
        return root;
    }

    private ArchiveSummary writeTo(Path archive, TreeScan scan) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive)) {
            return archiver.write(scan, StatCache.empty(), out);
        }
    }

    private byte[] bytes(TreeScan scan, StatCache cache) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archiver.write(scan, cache, out);
        return out.toByteArray();
    }

    private static String digestWithout(TreeScan scan, String name) {
        return TreeDigest.of(
                scan.entries().stream().filter(e -> !e.name().equals(name)).toList());
    }
}
