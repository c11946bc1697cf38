package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseTarTest {
    @TempDir
    Path tmp;

    /**
     * The synthesis reads a touched segment ahead of copying the segments before it. A segment damaged on
     * disk between that read and its copy must not be hashed from the earlier, sound read while the damaged
     * bytes are copied: the whole-file check must see what was copied.
     */
    @Test
    void aSegmentDamagedAfterAReadAheadIsCaughtByTheWholeFileCheckWhenCopied() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        for (int i = 0; i < 40; i++) {
            // Random bytes: they do not compress, so 40 files of 40 KiB make several segments.
            byte[] bytes = new byte[40 * 1024];
            new java.util.Random(i).nextBytes(bytes);
            Files.write(root.resolve(String.format("f%02d.bin", i)), bytes);
        }
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", 6);
        String recorded = Trees.sha256(base.archive());
        List<IndexSegment> segments = base.segments();
        assertTrue(segments.size() >= 3, segments.size() + " segments");
        IndexSegment copied = segments.get(0);
        IndexSegment touched = segments.get(1);

        try (FileChannel channel = FileChannel.open(base.archive(), StandardOpenOption.READ)) {
            BaseTar tar = new BaseTar(channel, segments);
            tar.read(touched.tarOffset(), new byte[16], 0, 16); // the read ahead: inflates and checks segment 1
            StoredArchives.flipByte(base.archive(), copied.gzOffset() + copied.gzLength() / 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            tar.copyCompressed(copied, out);
            assertEquals(copied.gzLength(), out.size());

            ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> tar.checkWhole(recorded));
            assertTrue(e.getMessage().contains("the base archive is damaged"), e.getMessage());
        }
    }
}
