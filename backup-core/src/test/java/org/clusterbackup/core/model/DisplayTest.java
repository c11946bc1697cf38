package org.clusterbackup.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisplayTest {
    @ParameterizedTest
    @CsvSource({
        "0,0 B",
        "1023,1023 B",
        "1024,1.0 KiB",
        "1536,1.5 KiB",
        "12900000,12.3 MiB",
        "2147483648,2.0 GiB",
        "1099511627776,1.0 TiB",
        "1125899906842624,1024.0 TiB"
    })
    void sizesUseBinaryUnitsWithOneDecimal(long bytes, String shown) {
        assertEquals(shown, Display.size(bytes));
    }

    @Test
    void timesAreSortableTextInTheDisplaysZone() {
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        assertEquals(
                "2026-01-02 04:04:05", Display.in(ZoneId.of("Europe/Berlin")).time(at));
        assertEquals("2026-01-02 03:04:05", Display.in(ZoneId.of("UTC")).time(at));
    }

    @ParameterizedTest
    @CsvSource({"0,0.0 s", "449,0.4 s", "12345,12.3 s", "3725000,3725.0 s"})
    void runDurationsAreSecondsWithOneDecimal(long millis, String shown) {
        assertEquals(shown, Display.duration(Duration.ofMillis(millis)));
    }
}
