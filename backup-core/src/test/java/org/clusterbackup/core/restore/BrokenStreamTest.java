package org.clusterbackup.core.restore;

import static org.clusterbackup.core.restore.SafeExtractorTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams that end early, are corrupt or fail, and failures while writing: each leaves nothing behind. */
class BrokenStreamTest {
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
    void streamCutOffInsideAFileFails() throws IOException {
        byte[] whole = archiveWithIncompressibleFile();

        BrokenArchiveException e = assertBroken(Tgz.cut(whole, whole.length / 2));

        assertTrue(e.getMessage().startsWith("archive stream broken in entry 'data/noise.bin' after "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" bytes of it: Unexpected end of ZLIB input stream"), e.getMessage());
        assertEquals(whole.length / 2, e.streamBytes());
    }

    @Test
    void streamMissingOnlyItsGzipTrailerFails() throws IOException {
        byte[] whole = archiveWithIncompressibleFile();

        BrokenArchiveException e = assertBroken(Tgz.cut(whole, whole.length - 8));

        assertTrue(e.getCause() instanceof java.io.EOFException, e.getCause()::toString);
    }

    @Test
    void streamCutOffAnywhereFails() throws IOException {
        byte[] whole = Tgz.archive()
                .dir("./", 0755)
                .file("a.txt", "a\n")
                .dir("empty/", 0700)
                .file("b/c.txt", "c".repeat(3000))
                .symlink("b/link", "c.txt")
                .bytes();

        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Tgz.cut(whole, length);
            String where = "cut at " + length + " of " + whole.length;
            assertThrows(BrokenArchiveException.class, () -> extract(cut), where);
            assertEquals(List.of(), names(restores), where);
        }
    }

    @Test
    void corruptStreamFails() throws IOException {
        byte[] corrupt = archiveWithIncompressibleFile();
        corrupt[corrupt.length / 2] ^= 0x55;

        assertBroken(corrupt);
    }

    @Test
    void streamThatIsNotGzipFails() throws IOException {
        BrokenArchiveException e =
                assertBroken("plain text, not an archive".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertEquals(
                "archive stream broken before the first entry after 2 bytes of it: Not in GZIP format", e.getMessage());
    }

    @Test
    void sourceThatFailsMidwayFails() throws IOException {
        byte[] whole = archiveWithIncompressibleFile();
        InputStream failing = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(whole, 0, 100_000);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };

        BrokenArchiveException e = assertThrows(BrokenArchiveException.class, () -> extractor.extract(failing, target));

        assertTrue(e.getMessage().endsWith(" bytes of it: connection reset"), e.getMessage());
        assertEquals(List.of(), names(restores));
    }

    @Test
    void writeFailureMidwayFailsNamingTheEntryAndLeavesNothing() throws IOException {
        SafeExtractor failing = new SafeExtractor(new ExtractHooks() {
            @Override
            public void afterEntry(String name, Path written) throws IOException {
                if (name.equals("ro/inside.txt")) {
                    throw new IOException("No space left on device");
                }
            }
        });

        IOException e = assertThrows(
                IOException.class, () -> failing.extract(new ByteArrayInputStream(readOnlyTree()), target));

        assertFalse(e instanceof BrokenArchiveException, e::toString);
        assertEquals("cannot write entry 'ro/inside.txt': No space left on device", e.getMessage());
        assertEquals(List.of(), names(restores));
    }

    @Test
    void failureAfterReadOnlyDirectoriesAreFinishedStillLeavesNothing() throws IOException {
        Path[] staged = new Path[1];
        SafeExtractor failing = new SafeExtractor(new ExtractHooks() {
            @Override
            public void beforeMove(Path staging, Path into) throws IOException {
                staged[0] = staging;
                assertEquals(
                        "d 0555",
                        org.clusterbackup.core.archive.Trees.describe(staging).get("ro/"));
                throw new IOException("interrupted by the test");
            }
        });

        IOException e = assertThrows(
                IOException.class, () -> failing.extract(new ByteArrayInputStream(readOnlyTree()), target));

        assertEquals("interrupted by the test", e.getMessage());
        assertFalse(Files.exists(staged[0]));
        assertEquals(List.of(), names(restores));
    }

    @Test
    void targetFilledDuringTheRestoreIsLeftAloneAndTheRestoreFails() throws IOException {
        SafeExtractor racing = new SafeExtractor(new ExtractHooks() {
            @Override
            public void beforeMove(Path staging, Path into) throws IOException {
                Files.createDirectory(into);
                Files.writeString(into.resolve("theirs.txt"), "written meanwhile\n");
            }
        });

        IOException e =
                assertThrows(IOException.class, () -> racing.extract(new ByteArrayInputStream(readOnlyTree()), target));

        assertEquals(
                "cannot move the restored tree into " + target + ": it now exists and is not empty", e.getMessage());
        assertEquals(List.of("app"), names(restores));
        assertEquals(List.of("theirs.txt"), names(target));
    }

    @Test
    void targetThatIsNotEmptyIsRefusedBeforeTheStreamIsRead() throws IOException {
        Files.createDirectory(target);
        Files.writeString(target.resolve("existing.txt"), "keep me\n");
        ByteArrayInputStream in = new ByteArrayInputStream(readOnlyTree());
        int available = in.available();

        IOException e = assertThrows(IOException.class, () -> extractor.extract(in, target));

        assertEquals("cannot restore into " + target + ": it already exists and is not empty", e.getMessage());
        assertEquals(available, in.available());
        assertEquals(List.of("app"), names(restores));
        assertEquals(List.of("existing.txt"), names(target));
    }

    @Test
    void targetWhoseParentIsMissingIsRefused() {
        Path orphan = restores.resolve("no/such/app");

        IOException e = assertThrows(
                IOException.class, () -> extractor.extract(new ByteArrayInputStream(readOnlyTree()), orphan));

        assertEquals("cannot restore into " + orphan + ": its parent directory does not exist", e.getMessage());
    }

    private BrokenArchiveException assertBroken(byte[] tgz) throws IOException {
        BrokenArchiveException e = assertThrows(BrokenArchiveException.class, () -> extract(tgz));
        assertEquals(List.of(), names(restores), "no target and no staging directory are left");
        return e;
    }

    private void extract(byte[] tgz) throws IOException, UnsafeArchiveException {
        extractor.extract(new ByteArrayInputStream(tgz), target);
    }

    /** 256 KiB that gzip cannot shrink, so a cut in the middle of the stream falls inside it. */
    private static byte[] archiveWithIncompressibleFile() {
        byte[] noise = new byte[256 * 1024];
        new Random(42).nextBytes(noise);
        return Tgz.archive()
                .dir("./", 0755)
                .file("before.txt", "before\n")
                .file("data/noise.bin", 0644, new String(noise, java.nio.charset.StandardCharsets.ISO_8859_1))
                .file("z.txt", "after\n")
                .bytes();
    }

    /** A read-only root and directory, filled. */
    private static byte[] readOnlyTree() {
        return Tgz.archive()
                .dir("./", 0500)
                .dir("ro/", 0555)
                .file("ro/inside.txt", "inside\n")
                .file("top.txt", "top\n")
                .bytes();
    }
}
