package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void timesAreIsoLikeInTheGivenZone() {
        Formats berlin = new Formats(ZoneId.of("Europe/Berlin"));
        assertEquals("2026-01-02 04:04:05", berlin.time(Instant.parse("2026-01-02T03:04:05Z")));
        assertEquals("01-02 04:04", berlin.shortTime(Instant.parse("2026-01-02T03:04:05Z")));
        assertEquals("04:04:05", berlin.clockTime(Instant.parse("2026-01-02T03:04:05Z")));
        assertEquals("", berlin.time(null));
    }

    @Test
    void periodsAreWrittenAsSpecs() {
        assertEquals("5m", Formats.every(300));
        assertEquals("2h", Formats.every(7200));
        assertEquals("90s", Formats.every(90));
    }
}
