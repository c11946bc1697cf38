package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup with nothing to compare its scan's digest with (the first of a tree) reads each file once, by the
 * write, and is the very backup a scan that hashed would have given: archive bytes, digest, entries, warnings
 * and the stat cache saved.
 */
class ScanWithoutBaseTest {
    @TempDir
    Path dir;

    /** What one backup of the tree gave and cost. */
    private record Run(
            byte[] archive,
            ArchiveSummary summary,
            List<Path> scanOpened,
            List<Path> writeOpened,
            List<String> listed,
            byte[] cache) {}

    @Test
    void aFirstBackupOpensNoFileInItsScanAndIsTheSameBackup() throws IOException {
        Path root = tree();

        Run hashed = backup(root, "hashed", false, null);
        Run unhashed = backup(root, "unhashed", true, null);

        assertEquals(List.of(), unhashed.scanOpened(), "the scan of a backup with nothing to compare opened files");
        assertTrue(hashed.scanOpened().size() > 40, "a scan that hashes opens the files: " + hashed.scanOpened());
        // Each file opened once in all: by the write, the unreadable one included, as the hashing scan did.
        assertEquals(sorted(hashed.scanOpened()), unhashed.writeOpened());
        assertEquals(
                sorted(hashed.writeOpened()),
                unhashed.writeOpened().stream()
                        .filter(p -> !p.endsWith("secret/keys.txt"))
                        .toList());
        assertArrayEquals(hashed.archive(), unhashed.archive(), "archive bytes");
        assertEquals(hashed.summary().digest(), unhashed.summary().digest());
        assertEquals(hashed.summary().entries(), unhashed.summary().entries());
        assertEquals(hashed.summary().files(), unhashed.summary().files());
        assertEquals(hashed.summary().warnings(), unhashed.summary().warnings());
        assertTrue(
                unhashed.summary().warnings().stream().anyMatch(w -> w.startsWith("unreadable secret/keys.txt")),
                () -> "the unreadable file is reported: " + unhashed.summary().warnings());
        assertTrue(
                unhashed.summary().warnings().stream().anyMatch(w -> w.startsWith("skipped fifo")),
                () -> "the fifo is reported: " + unhashed.summary().warnings());
        assertArrayEquals(hashed.cache(), unhashed.cache(), "the stat cache saved after the write");
        // Each file's attributes listed once, by the scan; the unreadable file's too, which the hashing scan
        // dropped before it listed them.
        List<String> expected = new ArrayList<>(hashed.listed());
        if (!unhashed.listed().isEmpty()) {
            expected.add("secret/keys.txt");
            Collections.sort(expected);
        }
        assertEquals(expected, unhashed.listed());
    }

    @Test
    void aFileThatVanishesAfterTheWalkGivesTheSameWarningAndBackup() throws IOException {
        Path root = tree();

        Run hashed = backup(root, "hashed", false, "many/f7.txt");
        Run unhashed = backup(root, "unhashed", true, "many/f7.txt");

        assertTrue(
                hashed.summary().warnings().contains("vanished during backup: many/f7.txt"),
                () -> "warnings: " + hashed.summary().warnings());
        assertEquals(hashed.summary().warnings(), unhashed.summary().warnings());
        assertEquals(hashed.summary().entries(), unhashed.summary().entries());
        assertArrayEquals(hashed.archive(), unhashed.archive());
        assertArrayEquals(hashed.cache(), unhashed.cache());
    }

    @Test
    void theWriteTrustsTheAttributesTheUnhashedScanListedOnlyAtTheSameStat() throws IOException {
        Path root = tree();
        StatCache cache = StatCache.empty();
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withClock(ManualClock.hourAhead()));
        TreeScan scan = archiver.scanWithoutBase(root, cache, ScanListener.NONE);
        // Listed by the scan as none, then set: the ctime moved, so the write lists them again and keeps them.
        boolean xattrs = xattrsWork();
        if (xattrs) {
            FidelityTrees.setXattr(root.resolve("tree/top.txt"), "user.late", "set after the scan");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveSummary summary = archiver.write(scan, cache, out);

        ManifestEntry top = summary.entries().stream()
                .filter(e -> e.name().equals("tree/top.txt"))
                .findFirst()
                .orElseThrow();
        assertEquals(xattrs ? Xattrs.digest(java.util.Map.of("user.late", "set after the scan")) : "", top.xattrs());
        assertEquals(Trees.sha256(root.resolve("tree/top.txt")), top.sha256(), "the write hashed it");
    }

    /** One backup of {@code root}; {@code vanishing} (if not null) is deleted right after the walk. */
    private Run backup(Path root, String name, boolean withoutBase, String vanishing) throws IOException {
        if (vanishing != null) {
            Path file = Trees.write(root, vanishing, "here for the walk only\n");
            // Its directory's mtime as in the other run: only the file's fate may differ.
            Files.setLastModifiedTime(
                    file.getParent(), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        }
        Path state = Files.createDirectories(dir.resolve("state-" + name));
        CountingOpener opener = new CountingOpener();
        opener.deny(root.resolve("secret/keys.txt"));
        List<String> listed = Collections.synchronizedList(new ArrayList<>());
        List<List<Path>> scanOpened = new ArrayList<>();
        ArchiveHooks hooks = new ArchiveHooks() {
            @Override
            public void afterWalk(Path scanned) {
                if (vanishing != null) {
                    try {
                        Files.delete(root.resolve(vanishing));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void afterScan(TreeScan scan) {
                scanOpened.add(opener.opened());
            }

            @Override
            public void beforeXattrs(String entry) {
                listed.add(entry);
            }
        };
        // An hour ahead: every file is old enough for the stat cache to keep it (its racy rule).
        ArchiveOptions options =
                ArchiveOptions.defaults().withOpener(opener).withHooks(hooks).withClock(ManualClock.hourAhead());
        try (TreeArchiver archiver = new TreeArchiver(options)) {
            StatCache cache = StatCache.load(state, root);
            TreeScan scan = withoutBase
                    ? archiver.scanWithoutBase(root, cache, ScanListener.NONE)
                    : archiver.scan(root, cache, ScanListener.NONE);
            opener.reset();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ArchiveSummary summary = archiver.write(scan, cache, out);
            List<String> sorted = new ArrayList<>(listed);
            Collections.sort(sorted);
            return new Run(
                    out.toByteArray(),
                    summary,
                    sorted(scanOpened.get(0)),
                    sorted(opener.opened()),
                    sorted,
                    Files.readAllBytes(StatCache.fileFor(state, root)));
        }
    }

    /** The sample tree, the fidelity tree (hard links, holes, attributes), big files, a fifo, an unreadable file. */
    private Path tree() throws IOException {
        Path root = Files.createDirectories(dir.resolve("src"));
        Trees.sample(root);
        FidelityTrees.build(root, xattrsWork());
        Random random = new Random(11);
        for (int i = 0; i < 3; i++) {
            byte[] big = new byte[(1 << 20) + 4096 * i + 7];
            random.nextBytes(big);
            Files.write(Files.createDirectories(root.resolve("big")).resolve("file" + i + ".bin"), big);
        }
        for (int i = 0; i < 40; i++) {
            Trees.write(root, "many/f" + i + ".txt", ("small file " + i + "\n").repeat(i));
        }
        Trees.write(root, "secret/keys.txt", "denied by the opener\n");
        GnuTar.mkfifo(root.resolve("pipe"));
        return root;
    }

    private static List<Path> sorted(List<Path> paths) {
        List<Path> copy = new ArrayList<>(paths);
        Collections.sort(copy);
        return copy;
    }

    private boolean xattrsWork() throws IOException {
        Path probe = Files.createTempFile(dir, "probe", "");
        try {
            FidelityTrees.setXattr(probe, "user.probe", "1");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.delete(probe);
        }
    }
}
