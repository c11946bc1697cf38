package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order compared on chars is the order of the tar names' UTF-8 bytes, whatever the characters. */
class ArchiveOrderTest {
    /** ASCII, the slash, Latin-1, BMP letters on either side of the surrogates, pairs, and lone surrogates. */
    private static final char[] ALPHABET = {
        'a', 'b', '.', '-', '/', '0', 'é', 'ÿ', 'Ā', '中', '\uD7FF', '\uE000', '\uFB01', '\uFFFD', '\uFFFF', '\uD800',
        '\uDBFF', '\uDC00', '\uDFFF'
    };

    @Test
    void comparesAsTheUtf8BytesOfTheTarNames() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            IndexEntry a = entry(name(random), random.nextBoolean());
            IndexEntry b = random.nextInt(4) == 0
                    ? entry(a.path(), random.nextBoolean())
                    : entry(name(random), random.nextBoolean());
            int expected = Integer.signum(Arrays.compareUnsigned(
                    ArchiveOrder.tarName(a).getBytes(StandardCharsets.UTF_8),
                    ArchiveOrder.tarName(b).getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Integer.signum(ArchiveOrder.compare(a, b)), a.path() + " / " + b.path());
        }
    }

    @Test
    void theRootComesFirst() {
        IndexEntry root = entry(".", true);
        assertEquals(-1, Integer.signum(ArchiveOrder.compare(root, entry("-", false))));
        assertEquals(1, Integer.signum(ArchiveOrder.compare(entry("-", true), root)));
        assertEquals(0, ArchiveOrder.compare(root, entry(".", true)));
    }

    private static String name(Random random) {
        StringBuilder s = new StringBuilder();
        int length = 1 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            char c = ALPHABET[random.nextInt(ALPHABET.length)];
            if (c == '\uD800' && random.nextBoolean()) {
                s.append("\uD83D\uDE00"); // a pair: U+1F600
            } else {
                s.append(c);
            }
        }
        return s.toString().equals(".") ? "x" : s.toString(); // "." is the root, first whatever its bytes
    }

    private static IndexEntry entry(String path, boolean dir) {
        return dir
                ? new IndexEntry(path, EntryKind.DIR, 0755, 0, 0, 0, 0, 0, null, null, 0, 512)
                : new IndexEntry(path, EntryKind.FILE, 0644, 0, 0, 0, 0, 0, "00".repeat(32), null, 0, 512);
    }
}
