package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Rice-coded form of a range's runs: exact round trips whatever the values, and damage found. */
class RangeRunsTest {
    private static RangeRuns minuteRuns(int n, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[n];
        long[] starts = new long[n];
        long[] ends = new long[n];
        long[] bytes = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i == 0 ? 5_000_000_000L : ids[i - 1] + 9_990 + random.nextInt(20);
            starts[i] = i == 0 ? 1_767_225_600_123L : starts[i - 1] + 60_000 + random.nextInt(8);
            ends[i] = starts[i] + 40 + random.nextInt(60);
            bytes[i] = 123;
        }
        return new RangeRuns(ids, starts, ends, bytes);
    }

    private static void assertSame(RangeRuns expected, RangeRuns actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.id(i), actual.id(i));
            assertEquals(expected.startedAt(i), actual.startedAt(i));
            assertEquals(expected.finishedAt(i), actual.finishedAt(i));
            assertEquals(expected.bytes(i), actual.bytes(i));
        }
    }

    private static RangeRuns roundTrip(RangeRuns runs) {
        return RangeRuns.decode(runs.encode(), runs.firstId(), runs.size(), runs.minStartedAt());
    }

    @Test
    void aDayOfMinuteRunsComesBackExactlyInAboutOneAndAHalfBytesARun() {
        RangeRuns runs = minuteRuns(1024, 1);
        assertSame(runs, roundTrip(runs));
        int size = runs.encode().length;
        assertTrue(size < 1024 * 2, "bytes for 1024 runs: " + size);
    }

    @Test
    void outliersNegativeStepsAndExtremeValuesComeBackExactly() {
        long[] ids = {1, 2, 3_000_000_000L, Long.MAX_VALUE - 5};
        long[] starts = {Long.MIN_VALUE + 10, 0, -60_000, Long.MAX_VALUE - 1_000}; // a clock stepping back
        long[] ends = {Long.MIN_VALUE + 10, 3_600_000, -59_999, Long.MAX_VALUE};
        long[] bytes = {0, Long.MAX_VALUE, 123, 1L << 40};
        RangeRuns runs = new RangeRuns(ids, starts, ends, bytes);
        assertSame(runs, roundTrip(runs));
        RangeRuns one = RangeRuns.one(7, 1_000, 1_000, 0);
        assertSame(one, roundTrip(one));
    }

    /** One run ten hours long is escaped: the other runs keep the short codes of their column. */
    @Test
    void anOutlierCostsItsOwnBitsNotEveryRunsOnes() {
        RangeRuns runs = minuteRuns(1024, 4);
        long[] ids = new long[runs.size()];
        long[] starts = new long[runs.size()];
        long[] ends = new long[runs.size()];
        long[] bytes = new long[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            ids[i] = runs.id(i);
            starts[i] = runs.startedAt(i);
            ends[i] = runs.finishedAt(i) + (i == 500 ? 36_000_000 : 0);
            bytes[i] = runs.bytes(i);
        }
        RangeRuns withOutlier = new RangeRuns(ids, starts, ends, bytes);
        assertSame(withOutlier, roundTrip(withOutlier));
        int grown = withOutlier.encode().length - runs.encode().length;
        assertTrue(grown <= 16, "bytes the outlier added: " + grown);
    }

    @Test
    void theFormerDeflatedFormIsStillRead() {
        RangeRuns runs = minuteRuns(300, 2);
        assertSame(runs, RangeRuns.decode(DeflatedRuns.encode(runs), 0, 0, 0));
    }

    @Test
    void aDamagedByteOrAnotherRowsColumnsAreAnErrorNeverOtherRuns() {
        RangeRuns runs = minuteRuns(200, 3);
        byte[] data = runs.encode();
        for (int i = 1; i < data.length; i++) {
            byte[] damaged = data.clone();
            damaged[i] ^= 0x10;
            assertThrows(
                    CatalogException.class,
                    () -> RangeRuns.decode(damaged, runs.firstId(), runs.size(), runs.minStartedAt()),
                    "byte " + i);
        }
        assertThrows(
                CatalogException.class,
                () -> RangeRuns.decode(data, runs.firstId() + 1, runs.size(), runs.minStartedAt()));
        assertThrows(
                CatalogException.class,
                () -> RangeRuns.decode(data, runs.firstId(), runs.size() - 1, runs.minStartedAt()));
        assertThrows(
                CatalogException.class,
                () -> RangeRuns.decode(
                        java.util.Arrays.copyOf(data, data.length - 1),
                        runs.firstId(),
                        runs.size(),
                        runs.minStartedAt()));
    }
}
