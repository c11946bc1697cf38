package org.clusterbackup.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written time codec against the general parser and formatter it stands in for: the same text for
 * every instant, the same instant for every text, the same error for every text that is not a time.
 */
class UtcTimeTest {
    private static final long YEAR_0 = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long YEAR_10000 = LocalDateTime.of(10_000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);

    private final Random random = new Random(20260102L);

    /** What {@link UtcTime#parse} must do with {@code text}: Instant.parse's result or its error message. */
    private static String expected(String text) {
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            return "error: " + e.getMessage();
        }
    }

    private static String actual(String text) {
        try {
            return UtcTime.parse(text).toString();
        } catch (DateTimeParseException e) {
            return "error: " + e.getMessage();
        }
    }

    private static void assertReadsAsInstantParse(String text) {
        assertEquals(expected(text), actual(text), text);
    }

    private static void assertRoundTrip(Instant instant) {
        String text = UtcTime.format(instant);
        assertEquals(UtcTime.FORMATTER.format(instant), text, instant::toString);
        assertEquals(instant.truncatedTo(ChronoUnit.MILLIS), UtcTime.parse(text), text);
        char[] into = new char[UtcTime.MAX_LENGTH + 3];
        int n = UtcTime.format(instant, into, 3);
        assertEquals(text, new String(into, 3, n));
    }

    @Test
    void randomInstantsOfYears0To9999RoundTripAsTheGeneralFormatterWritesThem() {
        for (int i = 0; i < 200_000; i++) {
            long second = YEAR_0 + Math.floorMod(random.nextLong(), YEAR_10000 - YEAR_0);
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
            assertRoundTrip(instant);
            assertEquals(UtcTime.LENGTH, UtcTime.format(instant).length());
        }
    }

    @Test
    void recentInstantsRoundTripToTheMillisecond() {
        long from = Instant.parse("1969-12-25T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochMilli(from + Math.floorMod(random.nextLong(), to - from));
            assertRoundTrip(instant);
        }
    }

    @Test
    void everyYearsEndsAndLeapDaysRoundTrip() {
        for (int year = 0; year <= 9999; year++) {
            List<LocalDateTime> edges = new ArrayList<>(List.of(
                    LocalDateTime.of(year, 1, 1, 0, 0),
                    LocalDateTime.of(year, 12, 31, 23, 59, 59, 999_999_999),
                    LocalDateTime.of(year, 2, 28, 23, 59, 59, 999_000_000),
                    LocalDateTime.of(year, 3, 1, 0, 0)));
            if (java.time.Year.isLeap(year)) {
                edges.add(LocalDateTime.of(year, 2, 29, 12, 0, 0, 1_000_000));
            } else {
                assertReadsAsInstantParse(String.format("%04d-02-29T00:00:00.000Z", year));
            }
            for (LocalDateTime edge : edges) {
                assertRoundTrip(edge.toInstant(ZoneOffset.UTC));
            }
        }
    }

    /** The text of {@code format}, or its error: the general formatter cannot write Instant.MIN or MAX. */
    private static String outcome(java.util.function.Function<Instant, String> format, Instant instant) {
        try {
            return format.apply(instant);
        } catch (DateTimeException e) {
            return "error: " + e.getMessage();
        }
    }

    @Test
    void instantsPastTheFixedLayoutAreTheGeneralFormattersText() {
        List<Instant> far = new ArrayList<>(List.of(
                Instant.MIN,
                Instant.MAX,
                Instant.ofEpochSecond(YEAR_0 - 1, 999_999_999),
                Instant.ofEpochSecond(YEAR_10000),
                Instant.parse("+12026-06-30T12:00:00.5Z")));
        for (int i = 0; i < 20_000; i++) {
            far.add(Instant.ofEpochSecond(
                    Instant.MIN.getEpochSecond()
                            + Math.floorMod(
                                    random.nextLong(), Instant.MAX.getEpochSecond() - Instant.MIN.getEpochSecond()),
                    random.nextInt(1_000_000_000)));
        }
        for (Instant instant : far) {
            String text = outcome(UtcTime::format, instant);
            assertEquals(outcome(UtcTime.FORMATTER::format, instant), text, instant::toString);
            if (!text.startsWith("error")) {
                assertReadsAsInstantParse(text);
            }
        }
        assertEquals("-0001-12-31T23:59:59.999Z", UtcTime.format(Instant.ofEpochSecond(YEAR_0 - 1, 999_999_999)));
        assertEquals("+10000-01-01T00:00:00.000Z", UtcTime.format(Instant.ofEpochSecond(YEAR_10000)));
    }

    @Test
    void everyFractionPrecisionReadsAsInstantParse() {
        for (int i = 0; i < 20_000; i++) {
            long second = YEAR_0 + Math.floorMod(random.nextLong(), YEAR_10000 - YEAR_0);
            String whole = UtcTime.format(Instant.ofEpochSecond(second)).substring(0, 19);
            String nanos = String.format("%09d", random.nextInt(1_000_000_000));
            for (int digits = 0; digits <= 10; digits++) {
                String fraction = digits == 0 ? "" : "." + (nanos + "7").substring(0, digits);
                assertReadsAsInstantParse(whole + fraction + "Z");
            }
            assertReadsAsInstantParse(whole + ".Z");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "2026",
                "2026-01-02",
                "2026-01-02T03:04Z",
                "2026-01-02T03:04:05",
                "2026-01-02T03:04:05.123",
                "2026-01-02 03:04:05.123Z",
                "2026-01-02t03:04:05.123z",
                "2026-01-02T03:04:05.123+01:00",
                "2026-01-02T03:04:05.123-00:00",
                "2026-13-02T03:04:05.123Z",
                "2026-00-02T03:04:05.123Z",
                "2026-01-00T03:04:05.123Z",
                "2026-01-32T03:04:05.123Z",
                "2026-04-31T03:04:05.123Z",
                "2025-02-29T03:04:05.123Z",
                "2100-02-29T03:04:05.123Z",
                "2000-02-29T03:04:05.123Z",
                "2026-01-02T24:00:00.000Z",
                "2026-01-02T24:00:01.000Z",
                "2026-01-02T23:60:05.123Z",
                "2026-12-31T23:59:60.000Z",
                "2026-01-02T03:04:61.123Z",
                "2026-01-02T03:04:05,123Z",
                "2026-01-02T03:04:05.12aZ",
                "2026-01-02T03:04:05.1234567890Z",
                "2026-01-02T03:04:05.-12Z",
                "+2026-01-02T03:04:05.123Z",
                "-2026-01-02T03:04:05.123Z",
                "02026-01-02T03:04:05.123Z",
                "20a6-01-02T03:04:05.123Z",
                "2026-1-02T03:04:05.123Z",
                "2026/01/02T03:04:05.123Z",
                "2026-01-02T03-04-05.123Z",
                "２０２６-01-02T03:04:05.123Z",
                "2026-01-02T03:04:05.123Z ",
                " 2026-01-02T03:04:05.123Z",
                "2026-01-02T03:04:05.123ZZ"
            })
    void malformedOrUnusualTextIsReadOrRejectedExactlyAsInstantParseDoes(String text) {
        assertReadsAsInstantParse(text);
    }

    @Test
    void malformedTextIsADateTimeParseException() {
        DateTimeException e =
                assertThrows(DateTimeParseException.class, () -> UtcTime.parse("2025-02-29T00:00:00.000Z"));
        assertEquals(expected("2025-02-29T00:00:00.000Z"), "error: " + e.getMessage());
    }

    @Test
    void randomlyDamagedTimesReadOrFailAsInstantParse() {
        String alphabet = "0123456789-:.TZtz+ ";
        for (int i = 0; i < 100_000; i++) {
            long second = YEAR_0 + Math.floorMod(random.nextLong(), YEAR_10000 - YEAR_0);
            StringBuilder text = new StringBuilder(UtcTime.format(Instant.ofEpochSecond(second, random.nextInt())));
            text.setCharAt(random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            if (random.nextBoolean()) {
                text.setCharAt(random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertReadsAsInstantParse(text.toString());
        }
    }
}
