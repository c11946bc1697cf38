package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.clusterbackup.core.server.api.RunLimits;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** The run deadlines with a manual clock: hours of a run in microseconds. */
class RunWatchTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RunWatch watch =
            new RunWatch(new RunLimits(Duration.ofHours(6), Duration.ofMinutes(5), 1000), clock, "agent n:1");

    @Test
    void growingScanProgressKeepsALongScanAlive() {
        for (int i = 1; i <= 100; i++) {
            clock.advance(Duration.ofMinutes(3));
            watch.scanned(i * 1000L);
            assertDoesNotThrow(watch::check);
        }
    }

    @Test
    void aRepeatedScanCountIsNotProgress() {
        watch.scanned(10);
        clock.advance(Duration.ofMinutes(3));
        watch.scanned(10);
        clock.advance(Duration.ofMinutes(3));
        RunFailure f = assertThrows(RunFailure.class, watch::check);
        assertTrue(f.getMessage().contains("no progress"), f.getMessage());
    }

    @Test
    void archiveBytesAreProgressUntilTheRunTimeout() {
        for (int i = 0; i < 119; i++) {
            clock.advance(Duration.ofMinutes(3));
            watch.progressed();
            assertDoesNotThrow(watch::check);
        }
        clock.advance(Duration.ofMinutes(4));
        watch.progressed();
        RunFailure f = assertThrows(RunFailure.class, watch::check);
        assertTrue(f.getMessage().contains("--run-timeout 21600s"), f.getMessage());
    }

    @Test
    void theSizeCapCountsEveryByte() {
        assertDoesNotThrow(() -> watch.checkSize(1000));
        assertThrows(RunFailure.class, () -> watch.checkSize(1001));
    }
}
