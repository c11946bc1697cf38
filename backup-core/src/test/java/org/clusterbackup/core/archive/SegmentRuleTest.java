package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentRuleTest {
    private static final long MIB = 1024 * 1024;

    private final SegmentRule rule = new SegmentRule();

    @Test
    void theNameHashIsTheFirstFourBytesOfSha256() {
        assertEquals(0xe3b0c442L, SegmentRule.nameHash("")); // sha256("") = e3b0c442 98fc1c14...
        assertEquals(0xca978112L, SegmentRule.nameHash("a")); // sha256("a") = ca978112 ca1bbdca...
    }

    @Test
    void anEntryOfTheSpacingOrMoreAlwaysHitsASmallOneRarely() {
        assertTrue(SegmentRule.nameHits("any/name", SegmentRule.SPACING));
        int hits = 0;
        for (int i = 0; i < 100_000; i++) {
            if (SegmentRule.nameHits("dir/file-" + i + ".txt", 1024)) {
                hits++;
            }
        }
        // probability 1024 / 64 KiB = 1/64: about 1563 of 100000
        assertTrue(hits > 1350 && hits < 1780, "hits: " + hits);
    }

    @Test
    void smallEntriesNeverCloseASegmentBelowTheMinimumAndAlwaysAtTheMaximum() {
        long laidOut = 0;
        List<Long> cuts = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rule.entry("f" + i, 512, 10_000);
            cuts.addAll(take());
            laidOut += 512 + SegmentRule.padded(10_000);
        }
        rule.end(1024);
        cuts.addAll(take());

        assertEquals(laidOut + 1024, cuts.get(cuts.size() - 1));
        long previous = 0;
        for (long cut : cuts.subList(0, cuts.size() - 1)) {
            long length = cut - previous;
            assertTrue(length >= SegmentRule.MIN_LENGTH, "segment of " + length);
            assertTrue(length < SegmentRule.MAX_LENGTH + 512 + 10_240, "segment of " + length);
            previous = cut;
        }
        double average = (double) laidOut / cuts.size();
        // MIN + about SPACING, in whole entries of 10.5 KiB
        assertTrue(average > 170 * 1024 && average < 230 * 1024, "average " + average);
    }

    @Test
    void aLongFileStandsAloneInPiecesCountedFromItsDataStart() {
        rule.entry("./", 512, 0);
        assertEquals(List.of(), take());
        long size = 5 * MIB + 700 * 1024 + 3;
        rule.entry("big.bin", 1024, size);
        List<Long> cuts = take();
        rule.end(10_240 - 0);
        cuts.addAll(take());

        long dataStart = 512 + 1024;
        assertEquals(
                List.of(
                        dataStart,
                        dataStart + MIB,
                        dataStart + 2 * MIB,
                        dataStart + 3 * MIB,
                        dataStart + 4 * MIB,
                        dataStart + SegmentRule.padded(size),
                        dataStart + SegmentRule.padded(size) + 10_240),
                cuts,
                "header alone; 1 MiB pieces, the last 1.7 MiB; the end alone");
    }

    @Test
    void aFileJustUnderTheLongSizeIsOneSmallEntryAndOneOfExactlyItIsOnePiece() {
        rule.entry("small", 512, SegmentRule.LONG_FILE - 1);
        assertEquals(List.of(512 + MIB), take(), "past the minimum, and the entry is longer than the spacing");
        rule.entry("long", 512, SegmentRule.LONG_FILE);
        assertEquals(List.of(512 + MIB + 512, 512 + MIB + 512 + MIB), take());
    }

    @Test
    void theHardLimitCutsEvenInsideAGiantHeader() {
        rule.entry("x", 9 * MIB + 512, 0);
        List<Long> cuts = take();

        assertEquals(List.of(4 * MIB, 8 * MIB, 9 * MIB + 512), cuts, "two hard cuts, then the maximum");
    }

    @Test
    void cutsMustBeTakenBeforeTheNextEntryAndLengthsMustBeWholeBlocks() {
        rule.entry("big", 512, 3 * MIB);
        assertThrows(IllegalStateException.class, () -> rule.entry("next", 512, 0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentRule().entry("odd", 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentRule().entry("none", 0, 0));
    }

    @Test
    void aSegmentIsNeverEmpty() {
        rule.entry("a", 512, 0);
        take();
        rule.end(0); // nothing after: the open segment still ends
        assertEquals(List.of(512L), take());
        SegmentRule other = new SegmentRule();
        other.entry("big", 512, 2 * MIB);
        assertEquals(List.of(512L, 512 + MIB, 512 + 2 * MIB), takeAll(other), "2 MiB is two pieces");
        other.end(0);
        assertFalse(other.nextCut() >= 0, "nothing open, nothing to cut");
    }

    @Test
    void otherSizesCutByTheirOwnMinimumMaximumAndPiece() {
        SegmentRule small = new SegmentRule(new SegmentRule.Sizes(16 * 1024, 16 * 1024, 64 * 1024, 100 * 1024));
        long laidOut = 0;
        List<Long> cuts = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            small.entry("f" + i, 512, 1_000);
            cuts.addAll(takeAll(small));
            laidOut += 512 + SegmentRule.padded(1_000);
        }
        long previous = 0;
        for (long cut : cuts) {
            long length = cut - previous; // the maximum is checked after an entry (1.5 KiB here)
            assertTrue(length >= 16 * 1024 && length < 64 * 1024 + 1536, "segment of " + length);
            previous = cut;
        }
        assertTrue(cuts.size() > laidOut / (64 * 1024), "segments end past the minimum, not only at the maximum");

        small.entry("long.bin", 512, 250 * 1024); // long at 100 KiB: the header alone, a piece, the rest
        long dataStart = laidOut + 512;
        assertEquals(List.of(dataStart, dataStart + 100 * 1024, dataStart + 250 * 1024), takeAll(small));
    }

    @Test
    void sizesThatCouldPassTheHardLimitOrMakeEmptySegmentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentRule.Sizes(0, 64 * 1024, MIB, MIB));
        assertThrows(IllegalArgumentException.class, () -> new SegmentRule.Sizes(2 * MIB, 64 * 1024, MIB, MIB));
        assertThrows(IllegalArgumentException.class, () -> new SegmentRule.Sizes(MIB, 64 * 1024, 2 * MIB, 3 * MIB));
        assertEquals(SegmentRule.SIZES, new SegmentRule.Sizes(128 * 1024, 64 * 1024, 2 * MIB, MIB), "this version's");
    }

    private List<Long> take() {
        return takeAll(rule);
    }

    private static List<Long> takeAll(SegmentRule r) {
        List<Long> cuts = new ArrayList<>();
        for (long c = r.nextCut(); c >= 0; c = r.nextCut()) {
            cuts.add(c);
        }
        return cuts;
    }
}
