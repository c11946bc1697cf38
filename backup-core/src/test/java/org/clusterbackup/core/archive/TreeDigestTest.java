package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDigestTest {
    @TempDir
    Path tmp;

    private Path root;
    private String original;
    // Real time: files the tests just wrote are racy, so every scan reads content and nothing is trusted.
    private final TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());

    @BeforeEach
    void sampleTree() throws IOException {
        root = Trees.sample(tmp);
        original = digest();
    }

    @Test
    void touchAloneKeepsTheDigest() throws IOException {
        Trees.shiftMtime(root.resolve("top.txt"), -86_400);
        Trees.shiftMtime(root.resolve("a"), -3_600);

        assertEquals(original, digest());
    }

    @Test
    void rescanOfAnUnchangedTreeGivesTheSameDigest() throws IOException {
        assertEquals(original, digest());
    }

    @Test
    void editChangesTheDigest() throws IOException {
        Trees.write(root, "a/b/c/deep.txt", "deep insidE\n"); // same size

        assertNotEquals(original, digest());
    }

    @Test
    void addedFileChangesTheDigest() throws IOException {
        Trees.write(root, "a/new.txt", "");

        assertNotEquals(original, digest());
    }

    @Test
    void deletedFileChangesTheDigest() throws IOException {
        Files.delete(root.resolve("empty.txt"));

        assertNotEquals(original, digest());
    }

    @Test
    void chmodChangesTheDigest() throws IOException {
        Trees.chmod(root.resolve("top.txt"), 0600);

        assertNotEquals(original, digest());
    }

    @Test
    void chmodOfADirectoryChangesTheDigest() throws IOException {
        Trees.chmod(root.resolve("empty"), 0700);

        assertNotEquals(original, digest());
    }

    @Test
    void renameChangesTheDigest() throws IOException {
        Files.move(root.resolve("top.txt"), root.resolve("top2.txt"));

        assertNotEquals(original, digest());
    }

    @Test
    void newEmptyDirectoryChangesTheDigest() throws IOException {
        Files.createDirectory(root.resolve("a/also-empty"));

        assertNotEquals(original, digest());
    }

    @Test
    void changedSymlinkTargetChangesTheDigest() throws IOException {
        Files.delete(root.resolve("a/link"));
        Files.createSymbolicLink(root.resolve("a/link"), Path.of("sibling.txt"));

        assertNotEquals(original, digest());
    }

    @Test
    void fileReplacedByADirectoryOfTheSameNameChangesTheDigest() throws IOException {
        Files.delete(root.resolve("empty.txt"));
        Files.createDirectory(root.resolve("empty.txt"));

        assertNotEquals(original, digest());
    }

    @Test
    void everyKindOfChangeGivesADistinctDigest() throws IOException {
        Set<String> seen = new HashSet<>(List.of(original));
        Trees.write(root, "top.txt", "changed\n");
        seen.add(digest());
        Trees.chmod(root.resolve("top.txt"), 0600);
        seen.add(digest());
        Files.move(root.resolve("top.txt"), root.resolve("top2.txt"));
        seen.add(digest());
        Files.createDirectory(root.resolve("fresh"));
        seen.add(digest());

        assertEquals(5, seen.size());
    }

    @Test
    void warmAndColdCachesGiveTheSameDigest() throws IOException {
        ManualClock clock = ManualClock.hourAhead();
        TreeArchiver trusting = new TreeArchiver(ArchiveOptions.defaults().withClock(clock));
        StatCache warm = StatCache.empty();
        trusting.scan(root, warm);

        assertEquals(original, trusting.scan(root, warm).digest());
        assertEquals(original, trusting.scan(root, StatCache.empty()).digest());
    }

    @Test
    void digestIsTheRfc6962MerkleRootOfTheEncodedEntries() {
        List<ManifestEntry> entries = new ArrayList<>();
        entries.add(ManifestEntry.directory("./", 0755, 0, 0, 0));
        for (int n = 1; n <= 33; n++) {
            assertEquals(HexFormat.of().formatHex(rfc6962(entries)), TreeDigest.of(entries), "n=" + n);
            entries.add(ManifestEntry.file("f" + n, 0644, n, 0, 0, 0, "ab".repeat(32)));
        }
    }

    @Test
    void entryEncodingIsLengthPrefixedAsDocumented() {
        ManifestEntry link = ManifestEntry.symlink("l", 0777, 5, 1, 2, "t");

        byte[] expected = {
            1, // encoding version
            0,
            0,
            0,
            1,
            'l', // name
            'l', // type
            0,
            0,
            0x01,
            (byte) 0xff, // mode 0777
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0, // size
            0,
            0,
            0,
            0, // no content hash
            0,
            0,
            0,
            1,
            't', // target
        };
        assertArrayEquals(expected, TreeDigest.encode(link));
    }

    @Test
    void fileWithXattrsEncodesAsDocumented() {
        String content = "0123456789abcdef".repeat(4);
        String xattrs = "fedcba9876543210".repeat(4);
        ManifestEntry f =
                new ManifestEntry("d/é", EntryType.FILE, 04755, (5L << 32) + 7, 1, 2, 3, content, "", 0, xattrs);
        byte[] name = "d/é".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 4 + name.length + 1 + 4 + 8 + 4 + 32 + 4 + 4 + 32);
        b.put((byte) 2)
                .putInt(name.length)
                .put(name)
                .put((byte) 'f')
                .putInt(04755)
                .putLong((5L << 32) + 7);
        b.putInt(32)
                .put(HexFormat.of().parseHex(content))
                .putInt(0)
                .putInt(32)
                .put(HexFormat.of().parseHex(xattrs));
        assertArrayEquals(b.array(), TreeDigest.encode(f));
    }

    @Test
    void ownerGroupAndMtimeAreNotDigested() {
        ManifestEntry a = ManifestEntry.file("f", 0644, 1, 100, 0, 0, "ab".repeat(32));
        ManifestEntry b = ManifestEntry.file("f", 0644, 1, 200, 1000, 1000, "ab".repeat(32));

        assertEquals(TreeDigest.of(List.of(a)), TreeDigest.of(List.of(b)));
    }

    private String digest() throws IOException {
        return archiver.scan(root, StatCache.empty()).digest();
    }

    /** RFC 6962 §2.1, written recursively as the RFC states it, to check the incremental fold. */
    private static byte[] rfc6962(List<ManifestEntry> entries) {
        MessageDigest sha = TreeDigest.newSha256();
        if (entries.isEmpty()) {
            return sha.digest();
        }
        if (entries.size() == 1) {
            sha.update((byte) 0);
            sha.update(TreeDigest.encode(entries.get(0)));
            return sha.digest();
        }
        int k = Integer.highestOneBit(entries.size() - 1);
        byte[] left = rfc6962(entries.subList(0, k));
        byte[] right = rfc6962(entries.subList(k, entries.size()));
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }
}
