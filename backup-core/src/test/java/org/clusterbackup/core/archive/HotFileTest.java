package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that change while a backup reads them. Hooks change them at exact points of the read, so each case
 * is deterministic: no sleeps, no racing writer thread.
 */
class HotFileTest {
    /** Above {@link FileCopier#BUFFERED_LIMIT}: streamed, read once. */
    private static final int LARGE = 3 * 1024 * 1024;

    @TempDir
    Path tmp;

    private Path root;
    private Path archive;
    private final ManualClock clock = ManualClock.hourAhead();
    private final StatCache cache = StatCache.empty();

    @BeforeEach
    void sampleTree() throws IOException {
        root = Trees.sample(tmp);
        archive = tmp.resolve("out.tgz");
    }

    @Test
    void smallFileAppendedToOnEveryReadIsKeptAfterTheLastTryWithAWarning() throws IOException {
        Path log = Trees.write(root, "app.log", "line\n".repeat(200));
        ArchiveHooks appendEveryTime = new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry e, long bytesSoFar) {
                if (e.name().equals("app.log")) {
                    append(log, "more\n");
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(appendEveryTime);

        assertEquals(List.of("app.log changed while being read (kept after 3 tries)"), summary.warnings());
        assertArchiveIsValid();
        // Each try appended after reading: the third try read the 1000 bytes plus two appends.
        byte[] archived = Files.readAllBytes(extracted().resolve("app.log"));
        assertEquals(1010, archived.length);
        assertArrayEquals(Arrays.copyOf(Files.readAllBytes(log), 1010), archived);
        assertTrue(GnuTar.listVerbose(archive).stream().anyMatch(l -> l.matches(".* 1010 .* app\\.log")));
        assertEquals(scanOf(extracted()), summary.digest());
        assertFalse(cachedWithoutOpening("app.log"), "a file that moved while read is not cached");
    }

    @Test
    void smallFileThatSettlesIsReadAgainAndArchivedWhole() throws IOException {
        Path log = Trees.write(root, "app.log", "line\n".repeat(200));
        AtomicInteger appends = new AtomicInteger();
        ArchiveHooks appendOnce = new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry e, long bytesSoFar) {
                if (e.name().equals("app.log") && appends.getAndIncrement() == 0) {
                    append(log, "one more line\n");
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(appendOnce);

        assertEquals(List.of(), summary.warnings());
        assertArrayEquals(
                Files.readAllBytes(log), Files.readAllBytes(extracted().resolve("app.log")));
        assertEquals(scanOf(root), summary.digest());
        assertTrue(cachedWithoutOpening("app.log"));
    }

    @Test
    void fileReplacedByRenameDuringItsReadIsReadAgain() throws IOException {
        Path conf = Trees.write(root, "app.conf", "version=1\n");
        AtomicInteger reads = new AtomicInteger();
        ArchiveHooks replaceOnce = new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry e, long bytesSoFar) {
                if (e.name().equals("app.conf") && reads.getAndIncrement() == 0) {
                    // Same size and mtime: only the inode (and ctime) tell the new file from the old.
                    try {
                        Path next = Trees.write(root, "app.conf.new", "version=2\n");
                        Files.setLastModifiedTime(next, Files.getLastModifiedTime(conf));
                        Files.move(next, conf, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(replaceOnce);

        assertEquals(List.of(), summary.warnings());
        assertEquals("version=2\n", Files.readString(extracted().resolve("app.conf")));
        assertEquals(2, reads.get());
    }

    @Test
    void noRetriesKeepsTheFirstReadWithAWarning() throws IOException {
        Path log = Trees.write(root, "app.log", "line\n");
        ArchiveHooks append = new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry e, long bytesSoFar) {
                if (e.name().equals("app.log")) {
                    append(log, "more\n");
                }
            }
        };
        TreeArchiver archiver = new TreeArchiver(options(append).withHotFileRetries(0));

        ArchiveSummary summary = write(archiver, archiver.scan(root, cache));

        assertEquals(List.of("app.log changed while being read (kept after 1 try)"), summary.warnings());
        assertEquals("line\n", Files.readString(extracted().resolve("app.log")));
    }

    @Test
    void largeFileAppendedToWhileStreamedKeepsItsStatedSizeWithAWarning() throws IOException {
        byte[] original = pattern(LARGE);
        Path log = Files.write(root.resolve("big.log"), original);
        ArchiveHooks appendAfterFirstChunk = new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry e, long bytesSoFar) {
                if (e.name().equals("big.log") && bytesSoFar == ExactReader.CHUNK) {
                    append(log, "x".repeat(100_000));
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(appendAfterFirstChunk);

        assertEquals(List.of("big.log changed while being read (kept; too large to read again)"), summary.warnings());
        assertArchiveIsValid();
        assertArrayEquals(original, Files.readAllBytes(extracted().resolve("big.log")));
        assertTrue(GnuTar.listVerbose(archive).stream().anyMatch(l -> l.matches(".* " + LARGE + " .* big\\.log")));
        assertEquals(scanOf(extracted()), summary.digest());
        assertFalse(cachedWithoutOpening("big.log"));
    }

    @Test
    void largeFileThatShrinksWhileStreamedIsZeroPadded() throws IOException {
        byte[] original = pattern(LARGE);
        Path log = Files.write(root.resolve("big.log"), original);
        ArchiveHooks truncateAfterFirstChunk = new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry e, long bytesSoFar) {
                if (e.name().equals("big.log") && bytesSoFar == ExactReader.CHUNK) {
                    truncate(log, 1000);
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(truncateAfterFirstChunk);

        assertEquals(List.of("big.log changed while being read (kept; too large to read again)"), summary.warnings());
        assertArchiveIsValid();
        byte[] archived = Files.readAllBytes(extracted().resolve("big.log"));
        byte[] expected = new byte[LARGE];
        System.arraycopy(original, 0, expected, 0, ExactReader.CHUNK);
        assertArrayEquals(expected, archived);
        assertEquals(scanOf(extracted()), summary.digest());
    }

    @Test
    void smallFileThatShrinksIsReadAgain() throws IOException {
        Path conf = Trees.write(root, "app.conf", "a long first version of the config\n");
        AtomicInteger reads = new AtomicInteger();
        ArchiveHooks truncateOnce = new ArchiveHooks() {
            @Override
            public void afterChunk(ManifestEntry e, long bytesSoFar) {
                if (e.name().equals("app.conf") && reads.getAndIncrement() == 0) {
                    truncate(conf, 7);
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(truncateOnce);

        assertEquals(List.of(), summary.warnings());
        assertEquals("a long ", Files.readString(extracted().resolve("app.conf")));
    }

    @Test
    void contentChangedBetweenScanAndWriteIsReportedByTheSummaryDigest() throws IOException {
        ArchiveHooks editAfterScan = new ArchiveHooks() {
            @Override
            public void afterScan(TreeScan scan) {
                try {
                    Trees.write(root, "top.txt", "edited after the scan, before the read\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        TreeArchiver archiver = new TreeArchiver(options(editAfterScan));
        TreeScan scan = archiver.scan(root, cache);

        ArchiveSummary summary = write(archiver, scan);

        assertNotEquals(scan.digest(), summary.digest());
        assertEquals(scanOf(root), summary.digest());
        assertEquals(scanOf(extracted()), summary.digest());
        assertEquals(List.of(), summary.warnings());
    }

    @Test
    void fileDeletedBetweenScanAndWriteIsSkippedWithAWarning() throws IOException {
        ArchiveHooks deleteBeforeRead = new ArchiveHooks() {
            @Override
            public void beforeRead(ManifestEntry e) {
                if (e.name().equals("a/sibling.txt")) {
                    delete(root.resolve("a/sibling.txt"));
                }
            }
        };
        TreeArchiver archiver = new TreeArchiver(options(deleteBeforeRead));
        TreeScan scan = archiver.scan(root, cache);

        ArchiveSummary summary = write(archiver, scan);

        assertEquals(List.of("vanished during backup: a/sibling.txt"), summary.warnings());
        assertEquals(scan.files() - 1, summary.files());
        assertArchiveIsValid();
        assertFalse(GnuTar.list(archive).contains("a/sibling.txt"));
        assertEquals(scanOf(root), summary.digest());
    }

    @Test
    void fileReplacedByADirectoryBetweenScanAndWriteIsSkippedWithAWarning() throws IOException {
        ArchiveHooks replaceBeforeRead = new ArchiveHooks() {
            @Override
            public void beforeRead(ManifestEntry e) {
                if (e.name().equals("top.txt")) {
                    delete(root.resolve("top.txt"));
                    try {
                        Files.createDirectory(root.resolve("top.txt"));
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(replaceBeforeRead);

        assertEquals(List.of("top.txt changed type during backup (now a directory), skipped"), summary.warnings());
        assertArchiveIsValid();
        assertFalse(GnuTar.list(archive).contains("top.txt"));
    }

    @Test
    void fileSwappedForASymlinkAfterTheScanIsNotFollowed() throws IOException {
        Path secret = Trees.write(tmp, "outside/secret.txt", "must not be archived\n");
        ArchiveHooks swapBeforeOpen = new ArchiveHooks() {
            @Override
            public void afterScan(TreeScan scan) {
                delete(root.resolve("top.txt"));
                try {
                    Files.createSymbolicLink(root.resolve("top.txt"), secret);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }
        };

        ArchiveSummary summary = scanAndWrite(swapBeforeOpen);

        assertEquals(List.of("top.txt changed type during backup (now a symlink), skipped"), summary.warnings());
        assertFalse(GnuTar.list(archive).contains("top.txt"));
    }

    private ArchiveOptions options(ArchiveHooks hooks) {
        return ArchiveOptions.defaults().withClock(clock).withHooks(hooks);
    }

    private ArchiveSummary scanAndWrite(ArchiveHooks hooks) throws IOException {
        TreeArchiver archiver = new TreeArchiver(options(hooks));
        return write(archiver, archiver.scan(root, cache));
    }

    private ArchiveSummary write(TreeArchiver archiver, TreeScan scan) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive)) {
            return archiver.write(scan, cache, out);
        }
    }

    private void assertArchiveIsValid() throws IOException {
        GnuTar.gzipTest(archive);
        GnuTar.list(archive);
    }

    private Path extracted() throws IOException {
        Path dir = tmp.resolve("restored");
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir);
            GnuTar.extract(archive, dir);
        }
        return dir;
    }

    /** The digest a fresh scan, with no cache, gives of {@code dir} as it is now. */
    private String scanOf(Path dir) throws IOException {
        return new TreeArchiver(ArchiveOptions.defaults())
                .scan(dir, StatCache.empty())
                .digest();
    }

    /** True if a scan with the shared cache does not need to open {@code name}. */
    private boolean cachedWithoutOpening(String name) throws IOException {
        CountingOpener opener = new CountingOpener();
        new TreeArchiver(ArchiveOptions.defaults().withClock(clock).withOpener(opener)).scan(root, cache);
        return !opener.opened().contains(root.resolve(name));
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
