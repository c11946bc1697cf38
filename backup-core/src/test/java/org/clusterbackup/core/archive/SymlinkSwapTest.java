package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user who can write inside a backed-up tree swaps one of its directories for a symlink to a place
 * outside it, in the middle of a backup. Hooks make the swap at exact points; whatever the moment, nothing
 * from outside may enter the archive, and the backup still ends with a valid archive.
 */
class SymlinkSwapTest {
    private static final String SECRET = "root-only secret from outside the allowed tree\n";

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;

    @BeforeEach
    void trees() throws IOException {
        root = Files.createDirectories(tmp.resolve("allowed/tree"));
        Trees.write(root, "top.txt", "top\n");
        Trees.write(root, "sub/a.txt", "inside a, same length as the secret ........\n");
        Trees.write(root, "sub/b.txt", "inside b, same length as the secret ........\n");
        outside = Files.createDirectories(tmp.resolve("secret/sub"));
        Trees.write(outside, "a.txt", SECRET);
        Trees.write(outside, "b.txt", SECRET);
        Trees.chmod(outside.resolve("a.txt"), 0600);
    }

    @Test
    void aDirectorySwappedBetweenScanAndWriteIsNotFollowed() throws IOException {
        ArchiveHooks swapAfterScan = new ArchiveHooks() {
            @Override
            public void afterScan(TreeScan scan) {
                swap();
            }
        };

        ArchiveSummary summary = backup(swapAfterScan);

        assertNoSecretIn(archive());
        assertTrue(summary.warnings().stream().anyMatch(w -> w.contains("sub/a.txt")), summary.warnings()::toString);
        assertTrue(summary.warnings().stream().anyMatch(w -> w.contains("sub/b.txt")), summary.warnings()::toString);
        assertTrue(GnuTar.list(archive()).contains("top.txt"));
    }

    @Test
    void aDirectorySwappedBetweenTwoFilesOfItIsNotFollowed() throws IOException {
        ArchiveHooks swapBeforeSecondFile = new ArchiveHooks() {
            @Override
            public void beforeRead(ManifestEntry entry) {
                if (entry.name().equals("sub/b.txt")) {
                    swap(); // sub/a.txt was read through the open directory, which is now elsewhere
                }
            }
        };

        ArchiveSummary summary = backup(swapBeforeSecondFile);

        assertNoSecretIn(archive());
        assertTrue(summary.warnings().stream().anyMatch(w -> w.contains("sub/b.txt")), summary.warnings()::toString);
    }

    @Test
    void theExtendedAttributesOfAFileOutsideAreNotTakenThroughASwappedDirectory() throws IOException {
        FidelityTrees.assumeXattrs(tmp);
        FidelityTrees.setXattr(outside.resolve("a.txt"), "user.secret", "outside");
        TreeScan scan = scanSwappingAfterWalk();

        // The path now leads through the link to the outside file: its attributes are refused, not archived.
        ManifestEntry a = scan.entries().stream()
                .filter(e -> e.name().equals("sub/a.txt"))
                .findFirst()
                .orElseThrow();
        assertEquals("", a.xattrs());
        assertTrue(
                scan.warnings().stream().anyMatch(w -> w.contains("sub/a.txt") && w.contains("extended attributes")),
                scan.warnings()::toString);
    }

    @Test
    void aDirectorySwappedBetweenListingAndHashingIsNotRead() throws IOException {
        TreeScan scan = scanSwappingAfterWalk();

        // The files are read through the directory as it was listed (now sub.moved), never through the link.
        String secretHash = Trees.sha256(outside.resolve("a.txt"));
        assertFalse(scan.entries().stream().anyMatch(e -> e.sha256().equals(secretHash)), scan.entries()::toString);
        assertTrue(
                scan.entries().stream()
                        .anyMatch(e -> e.name().equals("sub/a.txt")
                                && e.sha256().equals(sha256(root.resolve("sub.moved/a.txt")))),
                scan.entries()::toString);
    }

    @Test
    void aRootThatIsASymlinkIsNotFollowed() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("allowed/link"), outside);
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());

        IOException e = assertThrows(IOException.class, () -> archiver.scan(link, StatCache.empty()));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    private static String sha256(Path file) {
        try {
            return Trees.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArchiveSummary backup(ArchiveHooks hooks) throws IOException {
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withHooks(hooks));
        try (OutputStream out = Files.newOutputStream(archive())) {
            return archiver.write(archiver.scan(root, StatCache.empty()), StatCache.empty(), out);
        }
    }

    /** Moves the real {@code sub} aside and puts a symlink to the outside directory in its place. */
    /** Scans the tree, swapping {@code sub} for a link to the outside once the walk has listed it. */
    private TreeScan scanSwappingAfterWalk() throws IOException {
        ArchiveHooks swapAfterWalk = new ArchiveHooks() {
            @Override
            public void afterWalk(Path scanned) {
                swap();
            }
        };
        return new TreeArchiver(ArchiveOptions.defaults().withHooks(swapAfterWalk)).scan(root, StatCache.empty());
    }

    private void swap() {
        try {
            Files.move(root.resolve("sub"), root.resolve("sub.moved"));
            Files.createSymbolicLink(root.resolve("sub"), outside);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path archive() {
        return tmp.resolve("out.tgz");
    }

    private void assertNoSecretIn(Path archive) throws IOException {
        GnuTar.gzipTest(archive);
        Path extracted = Files.createDirectories(tmp.resolve("extracted"));
        GnuTar.extract(archive, extracted);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(extracted)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            assertFalse(Files.readString(f).contains(SECRET), () -> f + " holds the outside file's content");
        }
    }
}
