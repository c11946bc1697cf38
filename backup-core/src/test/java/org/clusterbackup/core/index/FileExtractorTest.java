package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clusterbackup.core.archive.Trees;
import org.clusterbackup.core.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileExtractorTest {
    @TempDir
    Path tmp;

    @Test
    void everyFileComesBackFromExactlyTheSegmentsThatHoldIt() throws Exception {
        Path root = Trees.sample(tmp.resolve("tree"));
        Trees.write(root, "big.bin", "0123456789abcdef".repeat(3_000));
        Trees.write(root, "mid/after.txt", "after the big one\n");
        byte[] tar = SegmentedWire.tarOf(root);
        // Small segments that do not fall on entry boundaries: files span several, headers straddle cuts.
        List<Message> wire = SegmentedWire.wire(tar, 3_000, 1_000);
        Path idx = tmp.resolve("a.idx");
        String sha;
        try (ArchiveReceiver r = new ArchiveReceiver(idx)) {
            sha = SegmentedWire.receive(r, wire);
        }
        Path tgz = Files.write(tmp.resolve("a.tgz"), SegmentedWire.tgz(wire));

        List<IndexEntry> files = new ArrayList<>();
        try (IndexFile index = IndexFile.open(idx, sha);
                FileChannel channel = FileChannel.open(tgz, StandardOpenOption.READ)) {
            index.read(new IndexFile.Visitor() {
                @Override
                public boolean entry(IndexEntry e) {
                    return e.kind() != EntryKind.FILE || files.add(e);
                }
            });
            for (IndexEntry e : files) {
                FileExtractor.Located located = FileExtractor.locate(index, e.path());
                assertEquals(e, located.entry());
                long expected = e.size() == 0 ? 0 : (e.dataEnd() - 1) / 3_000 - e.dataOffset() / 3_000 + 1;
                assertEquals(expected, located.segments().size(), "segments holding " + e.path());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                FileExtractor.extract(new SegmentReader(channel), located, out::write);
                assertArrayEquals(
                        Arrays.copyOfRange(tar, (int) e.dataOffset(), (int) e.dataEnd()), out.toByteArray(), e.path());
            }
            assertNull(FileExtractor.locate(index, "no/such/file"));
        }
        assertTrue(files.size() > 8);
    }

    @Test
    void aFileIsInflatedOnlyUpToItsEndSoDamageLaterInItsLastSegmentDoesNotStopIt() throws Exception {
        Path root = Trees.sample(tmp.resolve("tree"));
        Trees.write(root, "first.txt", "the file sought, at the head of its segment\n");
        Trees.write(root, "second.txt", "after it, in the same segment\n".repeat(200)); // sorts after it
        byte[] tar = SegmentedWire.tarOf(root);
        List<Message> wire = SegmentedWire.wire(tar, 64 * 1024, 1_000);
        Path idx = tmp.resolve("a.idx");
        String sha;
        try (ArchiveReceiver r = new ArchiveReceiver(idx)) {
            sha = SegmentedWire.receive(r, wire);
        }
        Path tgz = Files.write(tmp.resolve("a.tgz"), SegmentedWire.tgz(wire));
        try (IndexFile index = IndexFile.open(idx, sha)) {
            FileExtractor.Located first = FileExtractor.locate(index, "first.txt");
            IndexSegment last = first.segments().get(first.segments().size() - 1);
            assertTrue(last.tarEnd() - first.entry().dataEnd() > 4_096, "more of the segment follows the file");
            // The segment's last deflate byte (its SYNC_FLUSH marker) damaged: only a reader that goes on past
            // the file's end gets there.
            StoredArchives.flipByte(tgz, last.gzOffset() + last.gzLength() - 1);
            try (FileChannel channel = FileChannel.open(tgz, StandardOpenOption.READ)) {
                // The damage is real: the whole segment no longer reads.
                assertThrows(
                        ArchiveFormatException.class,
                        () -> new SegmentReader(channel).inflate(last, (b, off, len) -> {}));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                FileExtractor.extract(new SegmentReader(channel), first, out::write);
                assertArrayEquals(Files.readAllBytes(root.resolve("first.txt")), out.toByteArray());
            }
        }
    }
}
