package org.clusterbackup.core.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BlockMatcherTest {
    private static final int B = BlockSizes.MIN_BLOCK;

    /** Sizes around the block: empty, one byte, a block and its neighbours, several blocks, odd sizes. */
    static Stream<Integer> sizes() {
        return Stream.of(0, 1, B - 1, B, B + 1, 2 * B - 1, 2 * B, 3 * B + 7, 10_000, 65_536, 300_001);
    }

    private static byte[] text(Random random, int size) {
        byte[] b = new byte[size];
        String words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n";
        for (int i = 0; i < size; i++) {
            b[i] = (byte)
                    (random.nextInt(5) == 0 ? 'a' + random.nextInt(26) : words.charAt(random.nextInt(words.length())));
        }
        return b;
    }

    /** One random edit of {@code base}: insert, delete, overwrite, append, truncate or reorder. */
    private static byte[] edit(Random random, byte[] base, int kind) {
        int n = base.length;
        int at = n == 0 ? 0 : random.nextInt(n + 1);
        int len = 1 + random.nextInt(Math.max(1, Math.min(2000, n / 3 + 1)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (kind) {
            case 0 -> { // insert
                out.write(base, 0, at);
                out.writeBytes(text(random, len));
                out.write(base, at, n - at);
            }
            case 1 -> { // delete
                int end = Math.min(n, at + len);
                out.write(base, 0, at);
                out.write(base, end, n - end);
            }
            case 2 -> { // overwrite
                byte[] b = base.clone();
                for (int i = at; i < Math.min(n, at + len); i++) {
                    b[i] = (byte) random.nextInt(256);
                }
                out.writeBytes(b);
            }
            case 3 -> { // append
                out.writeBytes(base);
                out.writeBytes(text(random, len));
            }
            case 4 -> out.write(base, 0, at); // truncate
            default -> { // reorder: swap the halves around a point
                out.write(base, at, n - at);
                out.write(base, 0, at);
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void randomEditsRebuildTheNewFileByteForByte(int size) throws Exception {
        Random random = new Random(size);
        for (int round = 0; round < 30; round++) {
            byte[] base = text(random, size);
            byte[] next = base;
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                next = edit(random, next, random.nextInt(6));
            }
            int piece = 1 + random.nextInt(70_000);
            Signatures.Rebuilt out = Signatures.match(base, next, piece, BaseBlocks.WINDOW);
            assertArrayEquals(
                    next, out.content.toByteArray(), "size " + size + ", round " + round + ", piece " + piece);
        }
    }

    @Test
    void anAppendedLineCostsOnlyTheLine() throws Exception {
        byte[] base = text(new Random(1), 10_000); // 19 blocks and a short tail
        byte[] line = "one more line\n".getBytes(StandardCharsets.US_ASCII);
        byte[] next = Arrays.copyOf(base, base.length + line.length);
        System.arraycopy(line, 0, next, base.length, line.length);

        Signatures.Rebuilt out = Signatures.match(base, next, 4096, BaseBlocks.WINDOW);

        assertArrayEquals(next, out.content.toByteArray());
        assertEquals(line.length, out.literalBytes, "the old tail is found where it was");
    }

    @Test
    void aLineInsertedInTheMiddleCostsAboutOneBlock() throws Exception {
        byte[] base = text(new Random(2), 20_000);
        byte[] line = "inserted line\n".getBytes(StandardCharsets.US_ASCII);
        byte[] next = new byte[base.length + line.length];
        System.arraycopy(base, 0, next, 0, 10_001);
        System.arraycopy(line, 0, next, 10_001, line.length);
        System.arraycopy(base, 10_001, next, 10_001 + line.length, base.length - 10_001);

        Signatures.Rebuilt out = Signatures.match(base, next, 1000, BaseBlocks.WINDOW);

        assertArrayEquals(next, out.content.toByteArray());
        assertTrue(out.literalBytes <= B + line.length, "literal " + out.literalBytes);
    }

    @Test
    void pagesRewrittenInPlaceCostThosePages() throws Exception {
        Random random = new Random(3);
        byte[] base = new byte[8 << 20]; // 2 KiB blocks
        random.nextBytes(base);
        byte[] next = base.clone();
        int block = BlockSizes.forSize(base.length);
        for (int i = 0; i < 16; i++) {
            int page = random.nextInt(base.length / block);
            for (int j = 0; j < block; j++) {
                next[page * block + j] = (byte) random.nextInt(256);
            }
        }

        Signatures.Rebuilt out = Signatures.match(base, next, 256 * 1024, BaseBlocks.WINDOW);

        assertArrayEquals(next, out.content.toByteArray());
        assertTrue(out.literalBytes <= 16L * block, "literal " + out.literalBytes);
    }

    @Test
    void aSmallWindowStillRebuildsALongFileAndFindsWhatMovedLittle() throws Exception {
        Random random = new Random(4);
        byte[] base = new byte[400_000]; // 782 blocks of 512 bytes against a window of 64
        random.nextBytes(base);
        byte[] next = edit(random, edit(random, base, 0), 1);

        Signatures.Rebuilt out = Signatures.match(base, next, 10_000, 64);

        assertArrayEquals(next, out.content.toByteArray());
        assertTrue(out.literalBytes < 20_000, "literal " + out.literalBytes);
    }

    @Test
    void dataMovedFarBackBeyondASmallWindowGoesLiteralButStaysRight() throws Exception {
        Random random = new Random(5);
        byte[] base = new byte[200_000];
        random.nextBytes(base);
        byte[] next = edit(random, base, 5); // halves swapped

        Signatures.Rebuilt out = Signatures.match(base, next, 10_000, 16);

        assertArrayEquals(next, out.content.toByteArray());
    }

    @Test
    void aFileOfEqualBlocksIsMatchedWithoutLongProbes() throws Exception {
        byte[] base = new byte[4 << 20]; // zeros: every block the same
        byte[] next = base.clone();
        next[1_000_000] = 1;

        Signatures.Rebuilt out = Signatures.match(base, next, 65_536, BaseBlocks.WINDOW);

        assertArrayEquals(next, out.content.toByteArray());
        assertTrue(out.literalBytes <= BlockSizes.forSize(base.length), "literal " + out.literalBytes);
    }

    @Test
    void weakSumRollsToWhatItComputesAfresh() {
        byte[] b = text(new Random(6), 5000);
        WeakSum rolling = new WeakSum();
        rolling.reset(b, 0, B);
        for (int i = 1; i + B <= b.length; i++) {
            rolling.roll(b[i - 1], b[i - 1 + B]);
            assertEquals(WeakSum.of(b, i, B), rolling.value(), "offset " + i);
        }
    }

    @Test
    void weakSumOfAnyLengthIsTheByteByByteSum() {
        byte[] b = new byte[70_000];
        new Random(8).nextBytes(b);
        java.util.Arrays.fill(b, 60_000, 70_000, (byte) 0xff); // the largest bytes, where the sums wrap
        for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 511, 512, 513, 4096, 65_536, 70_000}) {
            int start = b.length - length;
            int x = 0;
            int y = 0;
            for (int i = start; i < b.length; i++) {
                x += b[i] & 0xff;
                y += x;
            }
            assertEquals((x & 0xffff) | (y << 16), WeakSum.of(b, start, length), "length " + length);
        }
    }

    @Test
    void strongHashIsXxh64() {
        assertEquals(0xEF46DB3751D8E999L, StrongHash.of(new byte[0], 0, 0));
        assertEquals(0x44BC2CF5AD770999L, StrongHash.of("abc".getBytes(StandardCharsets.US_ASCII), 0, 3));
        byte[] longer = new byte[100];
        IntStream.range(0, 100).forEach(i -> longer[i] = (byte) i);
        byte[] shifted = new byte[101];
        System.arraycopy(longer, 0, shifted, 1, 100);
        assertEquals(StrongHash.of(longer, 0, 100), StrongHash.of(shifted, 1, 100), "depends on the bytes, not where");
    }
}
