package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.FidelityTrees;
import org.clusterbackup.core.archive.SegmentRule;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveSynthesizerTest {
    private static final int LEVEL = 6;

    @TempDir
    Path tmp;

    private ArchiveSynthesizer.Result synthesize(StoredArchives.Stored base, StoredArchives.Delta d, String name)
            throws Exception {
        try (IndexFile index = base.open()) {
            return ArchiveSynthesizer.synthesize(
                    base.archive(),
                    Trees.sha256(base.archive()),
                    index,
                    d.tar(),
                    d.removed(),
                    LEVEL,
                    tmp.resolve(name + ".tgz"),
                    tmp.resolve(name + ".idx"),
                    e -> {});
        }
    }

    @Test
    void synthesizedArchiveIsByteIdenticalToAFullBackupAfterRandomEdits() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Random random = new Random(12);
        for (int i = 0; i < 160; i++) {
            writeRandom(root, random, "d" + random.nextInt(12) + "/s" + random.nextInt(3) + "/f" + i + ".txt");
        }
        Trees.write(root, "big/long.bin", randomText(random, (int) SegmentRule.LONG_FILE * 2 + 777));
        Files.createSymbolicLink(root.resolve("link"), Path.of("d1"));
        Files.createDirectories(root.resolve("empty"));
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "round0", LEVEL);
        long copied = 0;
        for (int round = 1; round <= 10; round++) {
            int edits = 1 + random.nextInt(round % 3 == 0 ? 40 : 4);
            for (int i = 0; i < edits; i++) {
                edit(root, random, round * 1000 + i);
            }
            StoredArchives.Stored full = StoredArchives.full(root, tmp, "full" + round, LEVEL);
            StoredArchives.Delta d = StoredArchives.delta(root, base, tmp.resolve("delta" + round));
            ArchiveSynthesizer.Result r = synthesize(base, d, "synth" + round);

            assertEquals(Trees.sha256(full.archive()), r.sha256(), "archive of round " + round);
            assertEquals(Files.size(full.archive()), r.size());
            assertArrayEquals(
                    Files.readAllBytes(full.index()),
                    Files.readAllBytes(tmp.resolve("synth" + round + ".idx")),
                    "index of round " + round);
            assertEquals(full.indexSha256(), r.indexSha256());
            copied += r.copiedSegments();
            assertEquals(full.manifest(), d.manifest(), "the delta's manifest is the full backup's");
            base = new StoredArchives.Stored(
                    tmp.resolve("synth" + round + ".tgz"),
                    tmp.resolve("synth" + round + ".idx"),
                    r.indexSha256(),
                    d.manifest());
        }
        assertTrue(copied > 0, "some unchanged segments were copied compressed");
    }

    @Test
    void synthesizedArchiveKeepsLinksHolesAttributesAndSubsecondTimesByteIdentical() throws Exception {
        FidelityTrees.assumeXattrs(tmp);
        Path root = FidelityTrees.build(tmp, true);
        for (int i = 0; i < 60; i++) {
            writeRandom(root, new Random(i), String.format("bulk/f%02d.txt", i));
        }
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "round0", LEVEL);
        List<ThrowingEdit> rounds = List.of(
                () -> {
                    Files.createLink(root.resolve("bulk/link3"), root.resolve("data/first.bin"));
                    FidelityTrees.setNanos(root.resolve("plain.txt"), 1_700_000_000L, 7);
                },
                () -> {
                    Files.writeString(root.resolve("data/first.bin"), "rewritten through one name\n");
                    FidelityTrees.setXattr(root.resolve("plain.txt"), "user.new", "value");
                },
                () -> {
                    Files.delete(root.resolve("data/first.bin"));
                    FidelityTrees.sparse(
                            root.resolve("sparse/big.img"), FidelityTrees.BIG_SPARSE, new long[] {5L << 20});
                },
                () -> {
                    FidelityTrees.setXattr(root.resolve("attrs"), "user.team", "backup");
                    Files.writeString(root.resolve("sparse/small.img"), "x".repeat(900 * 1024));
                });
        for (int round = 1; round <= rounds.size(); round++) {
            rounds.get(round - 1).run();
            StoredArchives.Stored full = StoredArchives.full(root, tmp, "full" + round, LEVEL);
            StoredArchives.Delta d = StoredArchives.delta(root, base, tmp.resolve("delta" + round));
            ArchiveSynthesizer.Result r = synthesize(base, d, "synth" + round);

            assertEquals(Trees.sha256(full.archive()), r.sha256(), "archive of round " + round);
            assertArrayEquals(
                    Files.readAllBytes(full.index()),
                    Files.readAllBytes(tmp.resolve("synth" + round + ".idx")),
                    "index of round " + round);
            assertEquals(full.manifest(), d.manifest(), "the delta's manifest is the full backup's");
            assertFalse(
                    new String(Files.readAllBytes(d.tar()), java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains("bulk/f00.txt"),
                    "round " + round + " sent only what changed");
            base = new StoredArchives.Stored(
                    tmp.resolve("synth" + round + ".tgz"),
                    tmp.resolve("synth" + round + ".idx"),
                    r.indexSha256(),
                    d.manifest());
        }
    }

    /** One change to a tree. */
    @FunctionalInterface
    private interface ThrowingEdit {
        void run() throws IOException;
    }

    @Test
    void oneChangedFileCopiesEverySegmentItDoesNotTouch() throws Exception {
        Path root = randomTree(7, 200);
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", LEVEL);
        Files.writeString(root.resolve("dir10/file100.txt"), "appended\n", java.nio.file.StandardOpenOption.APPEND);
        Trees.shiftMtime(root.resolve("dir10/file100.txt"), 5);
        StoredArchives.Stored full = StoredArchives.full(root, tmp, "full", LEVEL);

        ArchiveSynthesizer.Result r =
                synthesize(base, StoredArchives.delta(root, base, tmp.resolve("d.delta")), "synth");

        assertEquals(Trees.sha256(full.archive()), r.sha256());
        assertTrue(r.segments() >= 4, "a tree of several segments: " + r.segments());
        assertTrue(r.copiedSegments() >= r.segments() - 2, r.copiedSegments() + " of " + r.segments() + " copied");
    }

    @Test
    void aBaseDamagedInASegmentThatWouldBeCopiedIsRefused() throws Exception {
        Path root = randomTree(3, 120);
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", LEVEL);
        String recorded = Trees.sha256(base.archive());
        Trees.write(root, "dir11/zzz-last.txt", "added at the end\n");
        StoredArchives.Delta d = StoredArchives.delta(root, base, tmp.resolve("d.delta"));
        StoredArchives.flipByte(base.archive(), 100); // inside the first segment, which the change leaves alone

        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> synthesize(base, recorded, d));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    /** {@code files} random text files in directories of ten. */
    private Path randomTree(long seed, int files) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Random random = new Random(seed);
        for (int i = 0; i < files; i++) {
            writeRandom(root, random, String.format("dir%02d/file%03d.txt", i / 10, i));
        }
        return root;
    }

    /** Synthesizes over a base whose recorded SHA-256 is {@code recorded} (taken before it was damaged). */
    private void synthesize(StoredArchives.Stored base, String recorded, StoredArchives.Delta d) throws Exception {
        try (IndexFile index = base.open()) {
            ArchiveSynthesizer.synthesize(
                    base.archive(),
                    recorded,
                    index,
                    d.tar(),
                    d.removed(),
                    LEVEL,
                    tmp.resolve("s.tgz"),
                    tmp.resolve("s.idx"),
                    x -> {});
        }
    }

    /**
     * Touched segments are read ahead of the copies before them are written: a copied segment damaged on disk
     * after the base was stored, lying between touched ones, must still be caught (by the whole-file hash of
     * the base, taken from the very bytes copied) and no archive result.
     */
    @Test
    void aBaseDamagedInACopiedSegmentBetweenTouchedOnesIsRefused() throws Exception {
        Path root = randomTree(11, 200);
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", LEVEL);
        String recorded = Trees.sha256(base.archive());
        for (String name : List.of("dir00/file001.txt", "dir10/file100.txt", "dir19/file198.txt")) {
            Files.writeString(root.resolve(name), "appended\n", java.nio.file.StandardOpenOption.APPEND);
            Trees.shiftMtime(root.resolve(name), 5);
        }
        StoredArchives.Delta d = StoredArchives.delta(root, base, tmp.resolve("d.delta"));
        ArchiveSynthesizer.Result sound = synthesize(base, d, "sound");
        assertTrue(
                sound.copiedSegments() >= 4 && sound.copiedSegments() < sound.segments(),
                sound.copiedSegments() + " of " + sound.segments() + " copied");
        List<IndexSegment> segments = base.segments();
        // Segments a quarter of the way in: after the first touched one, before the middle one, so copied.
        IndexSegment copied = segments.get(segments.size() / 4);
        StoredArchives.flipByte(base.archive(), copied.gzOffset() + copied.gzLength() / 2);

        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> synthesize(base, recorded, d));
        assertTrue(e.getMessage().contains("the base archive is damaged"), e.getMessage());
    }

    @Test
    void deltaRemovingANameTheBaseLacksDoesNotApply() throws Exception {
        Path root = Trees.sample(tmp);
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", LEVEL);
        Path empty = tmp.resolve("empty.delta");
        Files.write(empty, new byte[1024]);
        StoredArchives.Delta d = new StoredArchives.Delta(empty, Set.of("no/such/file"), base.manifest());

        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> synthesize(base, d, "synth"));
        assertTrue(e.getMessage().contains("no/such/file"), e.getMessage());
    }

    @Test
    void deltaOutOfArchiveOrderDoesNotApply() throws Exception {
        Path root = Trees.sample(tmp);
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", LEVEL);
        List<IndexEntry> entries = base.entries();
        byte[] tar = base.tar();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IndexEntry e : List.of(entries.get(3), entries.get(2))) {
            out.write(tar, (int) e.headerOffset(), (int)
                    (e.dataOffset() - e.headerOffset() + SegmentRule.padded(e.size())));
        }
        out.write(new byte[1024]);
        Path file = tmp.resolve("swapped.delta");
        Files.write(file, out.toByteArray());

        ArchiveFormatException e = assertThrows(
                ArchiveFormatException.class,
                () -> synthesize(base, new StoredArchives.Delta(file, Set.of(), base.manifest()), "synth"));
        assertTrue(e.getMessage().contains("archive order"), e.getMessage());
    }

    private static void writeRandom(Path root, Random random, String name) throws IOException {
        Trees.write(root, name, randomText(random, random.nextInt(60_000)));
    }

    /** Text that compresses about as source code does: words from a small vocabulary, and some noise. */
    private static String randomText(Random random, int length) {
        String[] words = {"int ", "return ", "x", "{\n", "}\n", "value", " = ", "foo(", ");\n", "// note\n"};
        StringBuilder b = new StringBuilder(length + 16);
        while (b.length() < length) {
            b.append(
                    random.nextInt(8) == 0
                            ? Integer.toHexString(random.nextInt())
                            : words[random.nextInt(words.length)]);
        }
        b.setLength(length);
        return b.toString();
    }

    /** One random edit of the kinds a tree sees: content, additions, deletions, renames, modes, links, dirs. */
    private static void edit(Path root, Random random, int serial) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.comparing(Path::toString)).forEach(p -> {
                if (Files.isSymbolicLink(p)) {
                    return;
                }
                (Files.isDirectory(p) ? dirs : files).add(p);
            });
        }
        Path file = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
        Path dir = dirs.get(random.nextInt(dirs.size()));
        switch (random.nextInt(9)) {
            case 0 -> {
                if (file != null) {
                    Files.writeString(file, "one more line " + serial + "\n", java.nio.file.StandardOpenOption.APPEND);
                    Trees.shiftMtime(file, 3);
                }
            }
            case 1 -> writeRandom(dir, random, "new" + serial + ".txt");
            case 2 -> {
                if (file != null) {
                    Files.delete(file);
                }
            }
            case 3 -> {
                if (file != null) {
                    Files.move(file, dir.resolve("moved" + serial + ".txt"));
                }
            }
            case 4 -> {
                if (file != null) {
                    Trees.chmod(file, random.nextBoolean() ? 0600 : 0755);
                }
            }
            case 5 -> {
                Path link = root.resolve("link");
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("target-" + serial));
            }
            case 6 -> {
                if (!dir.equals(root)) {
                    emptyDirectory(dir);
                }
            }
            case 7 -> Files.createDirectories(dir.resolve("sub" + serial));
            default -> {
                if (file != null) {
                    Trees.shiftMtime(file, 60);
                }
            }
        }
    }

    private static void emptyDirectory(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
