package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class Crc32CombineTest {
    @Test
    void combiningThePartsOfRandomDataGivesTheCrcOfTheWhole() {
        Random random = new Random(20261202);
        for (int trial = 0; trial < 300; trial++) {
            byte[] data = new byte[random.nextInt(200_000)];
            random.nextBytes(data);
            int parts = 1 + random.nextInt(12);
            int[] cuts = new int[parts + 1];
            for (int i = 1; i < parts; i++) {
                cuts[i] = data.length == 0 ? 0 : random.nextInt(data.length + 1); // empty parts too
            }
            cuts[parts] = data.length;
            Arrays.sort(cuts);
            long combined = 0; // the CRC of nothing
            for (int i = 0; i < parts; i++) {
                CRC32 part = new CRC32();
                part.update(data, cuts[i], cuts[i + 1] - cuts[i]);
                combined = Crc32Combine.combine(combined, part.getValue(), cuts[i + 1] - cuts[i]);
            }
            CRC32 whole = new CRC32();
            whole.update(data);
            assertEquals(whole.getValue(), combined, "trial " + trial + ", cuts " + Arrays.toString(cuts));
        }
    }

    @Test
    void aSecondPartBeyondFourGibibytesCombines() {
        byte[] zeros = new byte[1 << 20];
        byte[] head = "head".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long length2 = (4L << 30) + 5; // past 2^32: the length's high bits count
        CRC32 second = new CRC32();
        CRC32 whole = new CRC32();
        whole.update(head);
        for (long left = length2; left > 0; ) {
            int n = (int) Math.min(zeros.length, left);
            second.update(zeros, 0, n);
            whole.update(zeros, 0, n);
            left -= n;
        }
        CRC32 first = new CRC32();
        first.update(head);

        assertEquals(whole.getValue(), Crc32Combine.combine(first.getValue(), second.getValue(), length2));
    }

    @Test
    void anEmptySecondPartChangesNothingAndANegativeLengthIsRefused() {
        assertEquals(0xCAFEBABEL, Crc32Combine.combine(0xCAFEBABEL, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Crc32Combine.combine(1, 2, -1));
    }
}
