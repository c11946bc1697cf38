package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A held index's lookup by name through its table answers exactly what a scan of the index answers. */
class IndexDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void everyNameIsFoundAsTheScanFindsItWithTheSameSegments() throws Exception {
        Path root = Trees.sample(tmp.resolve("tree"));
        Trees.write(root, "big.bin", "0123456789abcdef".repeat(3_000));
        Trees.write(root, "empty.txt", "");
        Trees.write(root, "mid/after.txt", "after the big one\n");
        byte[] tar = SegmentedWire.tarOf(root);
        List<String> names = new ArrayList<>();
        try (IndexFile scanned = stored(tar, 3_000)) {
            scanned.read(new IndexFile.Visitor() {
                @Override
                public boolean entry(IndexEntry e) {
                    return names.add(e.path());
                }
            });
            IndexFile held = held(scanned.file());
            for (String name : names) {
                FileExtractor.Located expected = FileExtractor.scan(scanned, name);
                assertNotNull(expected, name);
                assertEquals(expected, FileExtractor.locate(held, name), name);
            }
            for (String absent : List.of("no/such/file", "", "big.bi", "big.bin/", "mid")) {
                assertEquals(FileExtractor.scan(scanned, absent), FileExtractor.locate(held, absent), absent);
            }
            assertNull(FileExtractor.locate(held, "no/such/file"));
        }
        assertTrue(names.size() > 8, "entries: " + names);
        assertTrue(names.contains("empty.txt"));
    }

    @Test
    void aNameStoredTwiceGivesTheFirstAsTheScanDoes() throws Exception {
        Path root = tmp.resolve("dup");
        Trees.write(root, "a.txt", "the same file, stored twice by GNU tar\n".repeat(100));
        Trees.write(root, "b.txt", "between\n");
        // GNU tar stores a file named twice on its command line twice.
        Process tar = new ProcessBuilder(
                        "tar", "--format=pax", "-cf", "-", "-C", root.toString(), "a.txt", "b.txt", "a.txt")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] bytes = tar.getInputStream().readAllBytes();
        assertEquals(0, tar.waitFor());
        try (IndexFile scanned = stored(bytes, 1_024)) {
            List<IndexEntry> seen = new ArrayList<>();
            scanned.read(new IndexFile.Visitor() {
                @Override
                public boolean entry(IndexEntry e) {
                    return !e.path().equals("a.txt") || seen.add(e);
                }
            });
            assertEquals(2, seen.size());
            assertNotEquals(seen.get(0).dataOffset(), seen.get(1).dataOffset());
            FileExtractor.Located found = FileExtractor.locate(held(scanned.file()), "a.txt");
            assertEquals(seen.get(0), found.entry());
            assertEquals(FileExtractor.scan(scanned, "a.txt"), found);
        }
    }

    /** The index of {@code tar} stored in segments of {@code segmentSize}, opened from its file: a scan. */
    private IndexFile stored(byte[] tar, int segmentSize) throws Exception {
        List<Message> wire = SegmentedWire.wire(tar, segmentSize, 1_000);
        Path idx = tmp.resolve("a.idx");
        String sha;
        try (ArchiveReceiver r = new ArchiveReceiver(idx)) {
            sha = SegmentedWire.receive(r, wire);
        }
        Files.writeString(tmp.resolve("a.sha"), sha);
        return IndexFile.open(idx, sha);
    }

    /** The same index held as its bytes, as VerifiedIndexes holds it: looked up through its table. */
    private IndexFile held(Path idx) throws Exception {
        return IndexFile.of(idx, Files.readAllBytes(idx), Files.readString(tmp.resolve("a.sha")));
    }
}
