package org.clusterbackup.core.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The contract's time text, {@code 2026-01-02T03:04:05.123Z}: UTC, to the millisecond, with {@code Z}.
 *
 * <p>Read and written by hand for the usual case — years 0000 to 9999, upper-case {@code T} and {@code Z},
 * none to nine fraction digits — and by {@link Instant#parse} and {@link #FORMATTER} for anything else, so the
 * results (and the errors) are exactly theirs; the hand-written path is only faster. A listing of a million
 * rows reads and writes two million of them, where the general parser and formatter cost more than the rest
 * of the row.
 */
public final class UtcTime {
    /** The general formatter, for years the fixed layout cannot hold: {@code +10000-01-01T...}, {@code -0001-...}. */
    public static final DateTimeFormatter FORMATTER =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Characters of the usual case: {@code 2026-01-02T03:04:05.123Z}. */
    public static final int LENGTH = 24;

    /** The longest text {@link #format} writes: a year of ten digits and its sign ({@link Instant#MAX}). */
    public static final int MAX_LENGTH = 31;

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private UtcTime() {}

    /**
     * The instant of {@code text}, as {@link Instant#parse} reads it.
     *
     * @throws DateTimeParseException what {@link Instant#parse} throws for the same text
     */
    public static Instant parse(CharSequence text) {
        Instant fixed = parseFixed(text);
        return fixed != null ? fixed : Instant.parse(text);
    }

    /** {@code instant} in the contract's format. */
    public static String format(Instant instant) {
        char[] text = new char[MAX_LENGTH];
        return new String(text, 0, format(instant, text, 0));
    }

    /**
     * Writes {@code instant} in the contract's format into {@code to} from {@code offset}, which needs room for
     * {@link #MAX_LENGTH} characters; returns how many it wrote ({@link #LENGTH} but for years past 0–9999).
     */
    public static int format(Instant instant, char[] to, int offset) {
        if (writeCivil(instant.getEpochSecond(), 'T', to, offset)) {
            int millis = instant.getNano() / 1_000_000;
            to[offset + 19] = '.';
            to[offset + 20] = (char) ('0' + millis / 100);
            to[offset + 21] = (char) ('0' + millis / 10 % 10);
            to[offset + 22] = (char) ('0' + millis % 10);
            to[offset + 23] = 'Z';
            return LENGTH;
        }
        String general = FORMATTER.format(instant);
        general.getChars(0, general.length(), to, offset);
        return general.length();
    }

    /**
     * Writes the date and time of day of {@code epochSecond} (seconds of a time line whose day 0 is
     * 1970-01-01) as {@code uuuu-MM-dd?HH:mm:ss}, 19 characters with {@code separator} between date and time,
     * if its year is 0 to 9999; else writes nothing and returns false.
     */
    static boolean writeCivil(long epochSecond, char separator, char[] to, int at) {
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // days to year, month, day: H. Hinnant's civil_from_days, eras of 400 years that start on March 1st
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return false;
        }
        int y = (int) year;
        to[at] = (char) ('0' + y / 1000);
        to[at + 1] = (char) ('0' + y / 100 % 10);
        to[at + 2] = (char) ('0' + y / 10 % 10);
        to[at + 3] = (char) ('0' + y % 10);
        to[at + 4] = '-';
        two(month, to, at + 5);
        to[at + 7] = '-';
        two(day, to, at + 8);
        to[at + 10] = separator;
        two(secondOfDay / 3600, to, at + 11);
        to[at + 13] = ':';
        two(secondOfDay / 60 % 60, to, at + 14);
        to[at + 16] = ':';
        two(secondOfDay % 60, to, at + 17);
        return true;
    }

    private static void two(int value, char[] to, int at) {
        to[at] = (char) ('0' + value / 10);
        to[at + 1] = (char) ('0' + value % 10);
    }

    /**
     * The usual case read by hand: {@code uuuu-MM-ddTHH:mm:ss} and {@code Z}, with or without a fraction of one
     * to nine digits; null for anything else (a field out of range included), which {@link Instant#parse}
     * then reads or rejects.
     */
    private static Instant parseFixed(CharSequence s) {
        int n = s.length();
        if (n < 20 || n > 30 || n == 21 || s.charAt(n - 1) != 'Z') {
            return null;
        }
        if (s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int nano = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.') {
                return null;
            }
            int value = digits(s, 20, fraction);
            if (value < 0) {
                return null;
            }
            nano = value * POWERS[9 - fraction];
        }
        // a negative field is a non-digit; the rest are out of range (24:00, a leap second): Instant.parse's
        if ((year | month | day | hour | minute | second) < 0
                || month < 1
                || month > 12
                || day < 1
                || day > lengthOfMonth(year, month)
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        long epochSecond = epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond, nano);
    }

    /** The decimal value of {@code count} (at most nine) digits from {@code at}, or -1 if one is no digit. */
    private static int digits(CharSequence s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a valid date: H. Hinnant's days_from_civil. */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }
}
