package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
}
