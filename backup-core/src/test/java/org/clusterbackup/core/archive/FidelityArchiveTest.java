package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.clusterbackup.core.restore.ExtractHooks;
import org.clusterbackup.core.restore.SafeExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives keep what GNU tar keeps with {@code --format=posix --sparse --xattrs}: hard links as links, sparse
 * files in the PAX 1.0 sparse format, {@code user.*} attributes as {@code SCHILY.xattr.*} records and mtimes
 * to the nanosecond; GNU tar, bsdtar, Python's {@code tarfile} and our own restore all get them back.
 */
class FidelityArchiveTest {
    @TempDir
    Path tmp;

    private Path archive(Path root, Fidelity fidelity, String name) throws IOException {
        Path archive = tmp.resolve(name);
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withFidelity(fidelity));
                OutputStream out = Files.newOutputStream(archive)) {
            archiver.write(archiver.scan(root, StatCache.empty()), StatCache.empty(), out);
        }
        return archive;
    }

    @Test
    void gnuTarRestoresLinksHolesAttributesAndNanoseconds() throws Exception {
        FidelityTrees.assumeXattrs(tmp);
        Path root = FidelityTrees.build(tmp, true);
        Path archive = archive(root, Fidelity.ALL, "all.tgz");
        Path out = Files.createDirectories(tmp.resolve("gnu"));

        run(out, "tar", "--xattrs", "--xattrs-include=user.*", "-xzf", archive.toString());

        FidelityTrees.assertKept(root, out, true);
        GnuTar.gzipTest(archive);
    }

    @Test
    void gnuTarListsTheLaterNamesOfAFileAsLinksToTheFirst() throws Exception {
        Path root = FidelityTrees.build(tmp, false);

        String listing = String.join("\n", GnuTar.listVerbose(archive(root, Fidelity.ALL, "all.tgz")));

        assertTrue(listing.contains("data/link1 link to data/first.bin"), listing);
        assertTrue(listing.contains("other/link2 link to data/first.bin"), listing);
    }

    @Test
    void bsdtarRestoresLinksHolesAttributesAndNanoseconds() throws Exception {
        assumeTrue(available("bsdtar"), "bsdtar is not installed (apt-get install libarchive-tools)");
        FidelityTrees.assumeXattrs(tmp);
        Path root = FidelityTrees.build(tmp, true);
        Path archive = archive(root, Fidelity.ALL, "all.tgz");
        Path out = Files.createDirectories(tmp.resolve("bsd"));

        run(out, "bsdtar", "--xattrs", "-xpzf", archive.toString());

        FidelityTrees.assertKept(root, out, true);
    }

    @Test
    void pythonTarfileSeesLinksSparseContentAttributesAndNanoseconds() throws Exception {
        assumeTrue(available("python3"), "python3 is not installed");
        Path root = FidelityTrees.build(tmp, false);
        FidelityTrees.setNanos(root.resolve("plain.txt"), 1_700_000_000L, 123_456_789);
        Path archive = archive(root, Fidelity.ALL, "all.tgz");
        String script = String.join(
                "\n",
                "import sys, tarfile, hashlib",
                "with tarfile.open(sys.argv[1]) as t:",
                "    for m in t:",
                "        kind = 'link' if m.islnk() else 'sym' if m.issym() else 'dir' if m.isdir() else 'file'",
                "        extra = m.linkname if m.islnk() else ''",
                "        if m.isfile() and not m.islnk():",
                "            extra = hashlib.sha256(t.extractfile(m).read()).hexdigest()",
                "        print(m.name, kind, m.size, extra, m.pax_headers.get('mtime', '-'), sep='|')");

        List<String> lines =
                run(tmp, "python3", "-c", script, archive.toString()).lines().toList();

        assertTrue(lines.contains("data/link1|link|0|data/first.bin|1700000100.5"), String.join("\n", lines));
        assertTrue(
                lines.contains("plain.txt|file|6|" + Trees.sha256(root.resolve("plain.txt")) + "|1700000000.123456789"),
                String.join("\n", lines));
        assertTrue(
                lines.contains("sparse/big.img|file|" + FidelityTrees.BIG_SPARSE + "|"
                        + Trees.sha256(root.resolve("sparse/big.img")) + "|1700000200.000000001"),
                String.join("\n", lines));
        assertTrue(
                lines.contains("sparse/tail-hole.img|file|" + (2 << 20) + "|"
                        + Trees.sha256(root.resolve("sparse/tail-hole.img")) + "|-"),
                String.join("\n", lines));
    }

    @Test
    void ourRestoreRecreatesLinksHolesAttributesAndNanoseconds() throws Exception {
        FidelityTrees.assumeXattrs(tmp);
        Path root = FidelityTrees.build(tmp, true);
        Path archive = archive(root, Fidelity.ALL, "all.tgz");
        Path target = tmp.resolve("restored");

        try (InputStream in = Files.newInputStream(archive)) {
            new SafeExtractor(ExtractHooks.NONE).extract(in, target);
        }

        FidelityTrees.assertKept(root, target, true);
    }

    @Test
    void aSparseFileCostsItsDataInTheTarNotItsLength() throws Exception {
        Path root = FidelityTrees.build(tmp, false);

        long tar = tarLength(archive(root, Fidelity.ALL, "all.tgz"));
        long whole = tarLength(archive(root, Fidelity.NONE, "none.tgz"));

        assertTrue(tar < 512 * 1024, "the tar of the sparse tree is " + tar + " bytes");
        assertTrue(whole > FidelityTrees.BIG_SPARSE + (2 << 20), "without sparse files: " + whole + " bytes");
    }

    @Test
    void theSameTreeGivesTheSameBytes() throws Exception {
        FidelityTrees.assumeXattrs(tmp);
        Path root = FidelityTrees.build(tmp, true);

        assertEquals(
                Trees.sha256(archive(root, Fidelity.ALL, "one.tgz")),
                Trees.sha256(archive(root, Fidelity.ALL, "two.tgz")));
    }

    @Test
    void withEverythingOffTheArchiveIsWhatItWasBefore() throws Exception {
        Path root = FidelityTrees.build(tmp, false);
        Path archive = archive(root, Fidelity.NONE, "none.tgz");

        String tar = new String(tar(archive), StandardCharsets.ISO_8859_1);
        String listing = String.join("\n", GnuTar.listVerbose(archive));

        assertFalse(listing.contains(" link to "), listing);
        assertFalse(tar.contains("mtime="), "no sub-second mtime records");
        assertFalse(tar.contains("GNU.sparse"), "no sparse files");
        Path out = Files.createDirectories(tmp.resolve("out"));
        GnuTar.extract(archive, out);
        assertEquals(Trees.describe(root), Trees.describe(out));
        assertEquals(
                1_700_000_000L, FidelityTrees.mtime(out.resolve("plain.txt")).getEpochSecond());
        assertEquals(0, FidelityTrees.mtime(out.resolve("plain.txt")).getNano());
    }

    private static byte[] tar(Path archive) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            return in.readAllBytes();
        }
    }

    private static long tarLength(Path archive) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    static boolean available(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + command).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
