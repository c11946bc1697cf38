package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The server expands a sparse file's map and data, and refuses maps that do not add up. */
class SparseDataTest {
    /** The map text padded to a block, then the data. */
    private static byte[] stored(String map, String data) {
        byte[] text = map.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[(text.length + 511) / 512 * 512 + data.length()];
        System.arraycopy(text, 0, out, 0, text.length);
        System.arraycopy(data.getBytes(StandardCharsets.US_ASCII), 0, out, out.length - data.length(), data.length());
        return out;
    }

    private static byte[] expand(long realSize, byte[] stored, int piece) throws ArchiveFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SparseData d = new SparseData(realSize, stored.length, 0, out::write);
        for (int at = 0; at < stored.length; at += piece) {
            d.accept(stored, at, Math.min(piece, stored.length - at));
        }
        d.finish();
        return out.toByteArray();
    }

    @Test
    void holesComeOutAsZerosWhateverThePieces() throws Exception {
        byte[] stored = stored("2\n3\n2\n10\n0\n", "ab");
        byte[] expected = new byte[10];
        expected[3] = 'a';
        expected[4] = 'b';

        for (int piece : new int[] {1, 7, 512, 4096}) {
            assertArrayEquals(expected, expand(10, stored, piece), "pieces of " + piece);
        }
    }

    @Test
    void overlappingRegionsAreRefused() {
        ArchiveFormatException e = assertThrows(
                ArchiveFormatException.class, () -> expand(100, stored("2\n0\n4\n2\n4\n", "abcdefgh"), 512));
        assertTrue(e.getMessage().contains("out of order, overlapping"), e.getMessage());
    }

    @Test
    void aRegionBeyondTheFileIsRefused() {
        ArchiveFormatException e =
                assertThrows(ArchiveFormatException.class, () -> expand(5, stored("1\n3\n4\n", "abcd"), 512));
        assertTrue(e.getMessage().contains("beyond the file"), e.getMessage());
    }

    @Test
    void dataThatDoesNotAddUpToTheStoredLengthIsRefused() {
        ArchiveFormatException e =
                assertThrows(ArchiveFormatException.class, () -> expand(100, stored("1\n0\n4\n", "abcdef"), 512));
        assertTrue(e.getMessage().contains("4 bytes of data in"), e.getMessage());
    }

    @Test
    void aMapThatIsNotNumbersIsRefused() {
        ArchiveFormatException e =
                assertThrows(ArchiveFormatException.class, () -> expand(100, stored("1\n0x10\n4\n", "abcd"), 512));
        assertTrue(e.getMessage().contains("not decimal numbers"), e.getMessage());
    }

    @Test
    void aHugeRegionCountIsRefusedBeforeAnythingIsAllocated() {
        ArchiveFormatException e =
                assertThrows(ArchiveFormatException.class, () -> expand(100, stored("999999999\n", ""), 512));
        assertTrue(e.getMessage().contains("999999999 regions"), e.getMessage());
    }
}
