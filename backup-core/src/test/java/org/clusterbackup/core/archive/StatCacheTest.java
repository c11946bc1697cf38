package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCacheTest {
    /** Regular files in {@link Trees#sample}. */
    private static final int SAMPLE_FILES = 8;

    @TempDir
    Path tmp;

    private Path root;
    private Path stateDir;
    private final CountingOpener opener = new CountingOpener();
    private final ManualClock clock = ManualClock.hourAhead();
    private final TreeArchiver archiver =
            new TreeArchiver(ArchiveOptions.defaults().withOpener(opener).withClock(clock));

    @BeforeEach
    void sampleTree() throws IOException {
        root = Trees.sample(tmp);
        stateDir = tmp.resolve("state");
    }

    @Test
    void warmCacheScanOpensNoFile() throws IOException {
        StatCache cache = StatCache.empty();
        String cold = scanCountingOpens(cache, SAMPLE_FILES);

        String warm = scanCountingOpens(cache, 0);

        assertEquals(cold, warm);
        assertEquals(SAMPLE_FILES, cache.size());
    }

    @Test
    void fileModifiedWithinTheRacyWindowIsRehashedOnEveryScan() throws IOException {
        StatCache cache = StatCache.empty();
        scanCountingOpens(cache, SAMPLE_FILES);
        Path hot = root.resolve("top.txt");
        Files.setLastModifiedTime(hot, FileTime.from(clock.instant().minusSeconds(1)));

        scanCountingOpens(cache, 1);
        scanCountingOpens(cache, 1);
        assertEquals(List.of(hot), opener.opened());
    }

    @Test
    void racyFileIsTrustedOnceItIsOldEnough() throws IOException {
        StatCache cache = StatCache.empty();
        Path hot = root.resolve("top.txt");
        Instant mtime = clock.instant().minusSeconds(1);
        Files.setLastModifiedTime(hot, FileTime.from(mtime));
        scanCountingOpens(cache, SAMPLE_FILES);
        scanCountingOpens(cache, 1);

        clock.set(mtime.plus(StatCache.RACY_WINDOW).plusMillis(1));
        scanCountingOpens(cache, 1);

        scanCountingOpens(cache, 0);
    }

    @Test
    void justChangedTreeIsNeverTrusted() throws IOException {
        // ctime cannot be set back: files written a moment ago stay racy for a clock that reads "now".
        clock.set(newestChange(root).plusSeconds(1));
        StatCache cache = StatCache.empty();
        scanCountingOpens(cache, SAMPLE_FILES);

        scanCountingOpens(cache, SAMPLE_FILES);
        assertEquals(0, cache.size());
    }

    @Test
    void futureMtimeIsNeverTrusted() throws IOException {
        StatCache cache = StatCache.empty();
        Files.setLastModifiedTime(
                root.resolve("top.txt"), FileTime.from(clock.instant().plus(Duration.ofDays(1))));
        scanCountingOpens(cache, SAMPLE_FILES);

        scanCountingOpens(cache, 1);
    }

    @Test
    void sameSizeEditIsRehashedAndChangesTheDigest() throws IOException {
        StatCache cache = StatCache.empty();
        String before = scanCountingOpens(cache, SAMPLE_FILES);
        Path file = root.resolve("a/b/c/deep.txt");
        FileTime mtime = Files.getLastModifiedTime(file);
        Trees.write(root, "a/b/c/deep.txt", "DEEP INSIDE\n");
        Files.setLastModifiedTime(file, mtime); // as tools that restore mtimes do: ctime still moves

        String after = scanCountingOpens(cache, 1);

        assertNotEquals(before, after);
        assertEquals(after, archiver.scan(root, StatCache.empty()).digest());
    }

    @Test
    void touchedFileIsRehashedAndKeepsTheDigest() throws IOException {
        StatCache cache = StatCache.empty();
        String before = scanCountingOpens(cache, SAMPLE_FILES);
        Trees.shiftMtime(root.resolve("top.txt"), -60);

        assertEquals(before, scanCountingOpens(cache, 1));
        assertEquals(before, scanCountingOpens(cache, 0));
    }

    @Test
    void deletedFilesAreForgotten() throws IOException {
        StatCache cache = StatCache.empty();
        scanCountingOpens(cache, SAMPLE_FILES);
        Files.delete(root.resolve("top.txt"));

        scanCountingOpens(cache, 0);

        assertEquals(SAMPLE_FILES - 1, cache.size());
    }

    @Test
    void cacheIsPersistedInTheStateDirAndReloaded() throws IOException {
        String cold = scanCountingOpens(StatCache.load(stateDir, root), SAMPLE_FILES);
        assertTrue(Files.isRegularFile(StatCache.fileFor(stateDir, root)));

        StatCache reloaded = StatCache.load(stateDir, root);

        assertEquals(SAMPLE_FILES, reloaded.size());
        assertEquals(cold, scanCountingOpens(reloaded, 0));
    }

    @Test
    void saveLeavesOnlyTheCacheFileBehind() throws IOException {
        scanCountingOpens(StatCache.load(stateDir, root), SAMPLE_FILES);
        Trees.write(root, "more.txt", "more\n");
        scanCountingOpens(StatCache.load(stateDir, root), 1);

        try (Stream<Path> files = Files.list(stateDir)) {
            assertEquals(List.of(StatCache.fileFor(stateDir, root)), files.toList());
        }
    }

    @Test
    void eachRootHasItsOwnCacheFile() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));

        assertNotEquals(StatCache.fileFor(stateDir, root), StatCache.fileFor(stateDir, other));
        assertEquals(StatCache.fileFor(stateDir, root), StatCache.fileFor(stateDir, root.resolve("a/..")));
    }

    @Test
    void garbageCacheFileIsAnEmptyCache() throws IOException {
        Files.createDirectories(stateDir);
        Files.write(StatCache.fileFor(stateDir, root), "not a cache at all".getBytes());

        StatCache cache = StatCache.load(stateDir, root);

        assertEquals(0, cache.size());
        scanCountingOpens(cache, SAMPLE_FILES);
        assertEquals(SAMPLE_FILES, StatCache.load(stateDir, root).size());
    }

    @Test
    void cacheFileWithAFlippedByteIsAnEmptyCache() throws IOException {
        scanCountingOpens(StatCache.load(stateDir, root), SAMPLE_FILES);
        Path file = StatCache.fileFor(stateDir, root);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);

        assertEquals(0, StatCache.load(stateDir, root).size());
    }

    @Test
    void truncatedCacheFileIsAnEmptyCache() throws IOException {
        scanCountingOpens(StatCache.load(stateDir, root), SAMPLE_FILES);
        Path file = StatCache.fileFor(stateDir, root);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));

        assertEquals(0, StatCache.load(stateDir, root).size());
    }

    @Test
    void cacheFileOfAnotherRootIsAnEmptyCache() throws IOException {
        scanCountingOpens(StatCache.load(stateDir, root), SAMPLE_FILES);
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.copy(StatCache.fileFor(stateDir, root), StatCache.fileFor(stateDir, other));

        assertEquals(0, StatCache.load(stateDir, other).size());
    }

    @Test
    void missingStateDirIsAnEmptyCacheAndIsCreatedOnSave() throws IOException {
        StatCache cache = StatCache.load(stateDir.resolve("not/yet"), root);
        assertEquals(0, cache.size());

        scanCountingOpens(cache, SAMPLE_FILES);

        assertTrue(Files.isRegularFile(StatCache.fileFor(stateDir.resolve("not/yet"), root)));
    }

    @Test
    void writeTeachesTheCacheWhatItRead() throws IOException {
        clock.set(newestChange(root).plusSeconds(1)); // the scan finds every file racy and caches nothing
        StatCache cache = StatCache.empty();
        TreeScan scan = archiver.scan(root, cache);
        assertEquals(0, cache.size());

        clock.set(Instant.now().plus(Duration.ofHours(1)));
        archiver.write(scan, cache, OutputStream.nullOutputStream());

        assertEquals(SAMPLE_FILES, cache.size());
        opener.reset();
        assertEquals(scan.digest(), archiver.scan(root, cache).digest());
        assertEquals(0, opener.opens());
    }

    @Test
    void memoryOnlyCacheNeverWritesAFile() throws IOException {
        StatCache cache = StatCache.empty();
        scanCountingOpens(cache, SAMPLE_FILES);

        cache.save();

        assertFalse(Files.exists(stateDir));
    }

    /** The latest ctime in the tree: what the clock must be just past for every file to be racy. */
    private static Instant newestChange(Path root) throws IOException {
        Instant newest = Instant.EPOCH;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Instant ctime = ((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant();
                newest = ctime.isAfter(newest) ? ctime : newest;
            }
        }
        return newest;
    }

    /** Scans with {@code cache}, asserting how many files were opened; returns the digest. */
    private String scanCountingOpens(StatCache cache, int expectedOpens) throws IOException {
        opener.reset();
        TreeScan scan = archiver.scan(root, cache);
        assertEquals(expectedOpens, opener.opens(), () -> "opened " + opener.opened());
        return scan.digest();
    }
}
