package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SparseMapTest {
    private static SparseMap map(byte[] content, int piece) {
        SparseMap.Builder b = new SparseMap.Builder();
        for (int at = 0; at < content.length; at += piece) {
            b.accept(content, at, Math.min(piece, content.length - at));
        }
        return b.finish();
    }

    private static String regions(SparseMap m) {
        StringBuilder s = new StringBuilder();
        for (long[] r : m.regions()) {
            s.append(r[0]).append('+').append(r[1]).append(' ');
        }
        return s.toString().trim();
    }

    @Test
    void runsOfZeroBlocksOf64KibOrMoreAreHolesWhateverThePieces() {
        byte[] content = new byte[300 * 1024];
        content[10] = 1; // block 0 is data
        content[200 * 1024 + 5] = 1; // a data block in the middle
        for (int piece : new int[] {1000, 4096, 65536, content.length}) {
            assertEquals("0+4096 204800+4096 307200+0", regions(map(content, piece)), "pieces of " + piece);
        }
    }

    @Test
    void shorterRunsOfZerosStayData() {
        byte[] content = new byte[200 * 1024];
        content[0] = 1;
        content[60 * 1024] = 1; // zeros between: 56 KiB, under the minimum
        content[content.length - 1] = 1;

        SparseMap m = map(content, 4096);

        assertEquals(List.of(), m.regions().stream().filter(r -> r[1] == 0).toList());
        assertTrue(m.hasHoles(), "the 136 KiB run after the second byte is a hole");
        assertEquals("0+65536 200704+4096", regions(m));
    }

    @Test
    void aFileEndingInAHoleGetsAnEmptyLastRegionAsGnuTarWritesIt() {
        byte[] content = new byte[128 * 1024 + 100];
        content[0] = 7;

        SparseMap m = map(content, 4096);

        assertEquals("0+4096 " + content.length + "+0", regions(m));
        assertEquals(
                "2\n0\n4096\n" + content.length + "\n0\n",
                new String(m.encode(), StandardCharsets.US_ASCII).replace("\0", ""));
        assertEquals(512, m.encode().length);
        assertEquals(512 + 4096, m.storedLength());
    }

    @Test
    void aFileWithoutZerosHasNoHoles() {
        byte[] content = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);

        assertFalse(map(content, 4096).hasHoles());
    }
}
