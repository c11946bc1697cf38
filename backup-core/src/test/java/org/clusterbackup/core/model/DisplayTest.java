package org.clusterbackup.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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

    /** The general way the fast paths stand in for: {@code %.1f} of the quotient, as Display did before. */
    private static String formattedSize(long bytes) {
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < 3);
        return String.format(Locale.ROOT, "%.1f %s", v, new String[] {"KiB", "MiB", "GiB", "TiB"}[u]);
    }

    @Test
    void sizesAreWhatTheGeneralFormatPrints() {
        Random random = new Random(7);
        List<Long> sizes = new ArrayList<>();
        for (int shift = 10; shift <= 60; shift += 10) {
            for (long tie = 0; tie < 10_240; tie++) {
                // n.n5 of a unit, where rounding turns: the tie itself and the bytes either side of it
                long at = ((2 * tie + 1) << shift) / 20;
                sizes.addAll(List.of(at - 1, at, at + 1));
            }
        }
        for (int i = 0; i < 300_000; i++) {
            sizes.add(random.nextLong() >>> random.nextInt(64));
        }
        sizes.addAll(List.of(Long.MAX_VALUE, (1L << 40) - 1, 1L << 40, (1L << 20) - 1, 1L << 20));
        for (long bytes : sizes) {
            if (bytes >= 1024) {
                assertEquals(formattedSize(bytes), Display.size(bytes), () -> bytes + " bytes");
            }
        }
    }

    @Test
    void durationsAreWhatTheGeneralFormatPrints() {
        Random random = new Random(11);
        for (long millis = 0; millis < 300_000; millis++) {
            assertEquals(
                    String.format(Locale.ROOT, "%.1f s", millis / 1000.0), Display.duration(Duration.ofMillis(millis)));
        }
        for (int i = 0; i < 300_000; i++) {
            long millis = random.nextLong() >> random.nextInt(64);
            assertEquals(
                    String.format(Locale.ROOT, "%.1f s", millis / 1000.0),
                    Display.duration(Duration.ofMillis(millis)),
                    () -> millis + " ms");
        }
    }

    @Test
    void timesAreWhatTheZonesFormatterPrints() {
        Random random = new Random(13);
        for (String zone :
                List.of("UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Apia", "+05:30")) {
            ZoneId id = ZoneId.of(zone);
            Display display = Display.in(id);
            DateTimeFormatter general = DateTimeFormatter.ofPattern(Display.TIME_PATTERN, Locale.ROOT)
                    .withZone(id);
            for (int i = 0; i < 50_000; i++) {
                // mostly years near now, where transitions are; some anywhere an Instant can be
                Instant at = i % 10 == 0
                        ? Instant.ofEpochSecond(Math.floorMod(random.nextLong(), Instant.MAX.getEpochSecond() * 2)
                                - Instant.MAX.getEpochSecond())
                        : Instant.ofEpochSecond(random.nextLong() % 8_000_000_000L, random.nextInt(1_000_000_000));
                assertEquals(general.format(at), display.time(at), () -> zone + " " + at);
            }
        }
    }
}
