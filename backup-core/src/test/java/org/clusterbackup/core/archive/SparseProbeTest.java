package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes that spare a file without holes its first pass decide exactly as that pass would: on content with
 * zero runs of every length around the hole size, at every block offset, buffered and streamed, the map is
 * the full pass's.
 */
class SparseProbeTest {
    @TempDir
    Path dir;

    @Test
    void probesGiveTheMapOfTheFullPassWhereverTheZerosLie() throws IOException {
        Random random = new Random(42);
        SparseCopy streamed = new SparseCopy(new ExactReader());
        for (int round = 0; round < 200; round++) {
            int size =
                    SparseMap.BLOCK * (20 + random.nextInt(80)) + random.nextInt(2) * random.nextInt(SparseMap.BLOCK);
            byte[] content = new byte[size];
            random.nextBytes(content);
            for (int runs = random.nextInt(3); runs > 0; runs--) {
                // Runs of 14 to 18 blocks around the hole size of 16, starting at any block, or reaching the end.
                int start = SparseMap.BLOCK * random.nextInt(size / SparseMap.BLOCK);
                int length = SparseMap.BLOCK * (14 + random.nextInt(5)) - random.nextInt(2);
                Arrays.fill(content, start, Math.min(size, start + length), (byte) 0);
            }
            String expected = describe(full(content));

            assertEquals(expected, describe(SparseCopy.ofBuffer(content, size)), "buffered, round " + round);
            Path file = Files.write(dir.resolve("f" + round), content);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                assertEquals(expected, describe(streamed.scan(channel, size)), "streamed, round " + round);
            }
        }
    }

    @Test
    void aFileThatShrankBeforeItsProbesGetsTheMapOfItsZeroFill() throws IOException {
        byte[] content = new byte[40 * SparseMap.BLOCK];
        Arrays.fill(content, (byte) 'x');
        Path file = Files.write(dir.resolve("shrunk"), content);
        long promised = content.length + 20L * SparseMap.BLOCK; // the stat's size, before it shrank

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SparseMap map = new SparseCopy(new ExactReader()).scan(channel, promised);
            assertEquals(promised, map.size());
            assertEquals("0+" + content.length + " " + promised + "+0", describe(map));
        }
    }

    /** The map the full pass gives, or null where it has no holes (as the copy would use it). */
    private static SparseMap full(byte[] content) {
        SparseMap.Builder b = new SparseMap.Builder();
        b.accept(content, 0, content.length);
        SparseMap m = b.finish();
        return m.hasHoles() ? m : null;
    }

    private static String describe(SparseMap m) {
        if (m == null) {
            return "no holes";
        }
        StringBuilder s = new StringBuilder();
        for (long[] r : m.regions()) {
            s.append(r[0]).append('+').append(r[1]).append(' ');
        }
        return s.toString().trim();
    }
}
