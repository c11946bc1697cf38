package org.clusterbackup.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one restore may write: entries, bytes actually written, free space; and that all of it is synced. */
class RestoreBoundsTest {
    @TempDir
    Path tmp;

    private Path restores;
    private Path target;

    @BeforeEach
    void dirs() throws IOException {
        restores = Files.createDirectories(tmp.resolve("restores"));
        target = restores.resolve("app");
    }

    @Test
    void moreEntriesThanAllowedAreRefusedAndNothingIsLeft() {
        byte[] tgz = Tgz.archive()
                .dir("./", 0755)
                .dir("a/", 0755)
                .dir("b/", 0755)
                .file("c", "c\n")
                .bytes();

        RestoreLimitException e = assertThrows(
                RestoreLimitException.class,
                () -> extract(new RestoreLimits(3, Long.MAX_VALUE, false), ExtractHooks.NONE, tgz));

        assertTrue(
                e.getMessage().contains("more than the 3 entries the agent's --restore-max-files allows"),
                e.getMessage());
        assertNothingLeft();
    }

    @Test
    void moreBytesThanAllowedAreRefusedAndNothingIsLeft() {
        byte[] tgz = Tgz.archive().dir("./", 0755).file("big", noise(300_000)).bytes();

        RestoreLimitException e = assertThrows(
                RestoreLimitException.class,
                () -> extract(new RestoreLimits(Long.MAX_VALUE, 200_000, false), ExtractHooks.NONE, tgz));

        assertTrue(e.getMessage().contains("--restore-max-bytes 200000"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void holesOfASparseFileDoNotCountAndStayHoles() throws Exception {
        String sparse = "\0".repeat(4 << 20) + "tail\n";
        byte[] tgz = Tgz.archive().dir("./", 0755).file("disk.img", sparse).bytes();

        ExtractResult result = extract(new RestoreLimits(Long.MAX_VALUE, 100_000, false), ExtractHooks.NONE, tgz);

        assertEquals(sparse.length(), result.bytes());
        assertEquals(sparse, Files.readString(target.resolve("disk.img")));
        assertTrue(allocatedBytes(target.resolve("disk.img")) < 1 << 20, "the 4 MiB of zeros stayed a hole");
    }

    @Test
    void aRestoreNeverTakesMoreThanTheFreeSpace() {
        byte[] tgz = Tgz.archive().dir("./", 0755).file("big", noise(2 << 20)).bytes();
        ExtractHooks oneMegabyteFree = new ExtractHooks() {
            @Override
            public long usableSpace(Path directory) {
                return 1 << 20;
            }
        };

        RestoreLimitException e =
                assertThrows(RestoreLimitException.class, () -> extract(RestoreLimits.DEFAULT, oneMegabyteFree, tgz));

        assertTrue(e.getMessage().contains("95% of the 1048576 bytes free on its file system"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void everyFileAndDirectoryIsSyncedBeforeTheTreeMovesIntoPlace() throws Exception {
        byte[] tgz = Tgz.archive()
                .dir("./", 0755)
                .dir("a/", 0755)
                .file("a/one", "1\n")
                .dir("a/b/", 0700)
                .file("a/b/two", "2\n")
                .file("three", "3\n")
                .bytes();
        int[] synced = {0};
        int[] syncedBeforeMove = {-1};
        ExtractHooks counting = new ExtractHooks() {
            @Override
            public void sync(FileChannel channel) throws IOException {
                synced[0]++;
                channel.force(true);
            }

            @Override
            public void beforeMove(Path staging, Path into) {
                syncedBeforeMove[0] = synced[0];
            }
        };

        extract(RestoreLimits.DEFAULT, counting, tgz);

        assertEquals(3 + 3, syncedBeforeMove[0], "three files and three directories (the root included)");
        assertEquals(3 + 3 + 1, synced[0], "then the parent, to make the rename durable");
    }

    /** Blocks on disk, which the JDK does not tell: {@code stat %b} counts 512-byte blocks. */
    private static long allocatedBytes(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "--format=%b", file.toString()).start();
        String blocks = new String(p.getInputStream().readAllBytes()).trim();
        assertEquals(0, p.waitFor());
        return Long.parseLong(blocks) * 512;
    }

    private ExtractResult extract(RestoreLimits limits, ExtractHooks hooks, byte[] tgz) throws Exception {
        return new SafeExtractor(hooks, limits).extract(new ByteArrayInputStream(tgz), target);
    }

    private void assertNothingLeft() {
        try (Stream<Path> s = Files.list(restores)) {
            assertEquals(List.of(), s.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String noise(int length) {
        Random random = new Random(length);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }
}
