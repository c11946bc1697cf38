package org.clusterbackup.core.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup frequency SPEC: {@code ^[1-9][0-9]*[smh]?$}; a bare number is minutes.
 */
public final class Frequency {
    /** A year: beyond it a schedule is a typo, not a plan. */
    public static final long MAX_SECONDS = 365L * 24 * 3600;

    private static final Pattern SPEC = Pattern.compile("([1-9][0-9]{0,9})([smh]?)");

    private Frequency() {}

    /**
     * @return the period in seconds
     * @throws InvalidInputException the spec does not match or is longer than a year
     */
    public static long parseSeconds(String spec) {
        Matcher m = spec == null ? null : SPEC.matcher(spec);
        if (m == null || !m.matches()) {
            throw new InvalidInputException("invalid frequency '" + spec
                    + "': expected minutes as a whole number (5) or a number with s, m or h (30s, 5m, 2h)");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "s" -> 1;
            case "h" -> 3600;
            default -> 60;
        };
        if (n > MAX_SECONDS / unit) {
            throw new InvalidInputException("invalid frequency '" + spec + "': longer than a year");
        }
        return n * unit;
    }

    /** Checks a period that arrived as a number of seconds (a request on the wire). */
    public static long checkSeconds(long seconds) {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new InvalidInputException("invalid frequency of " + seconds + " s: must be between 1 s and a year");
        }
        return seconds;
    }

    /** The shortest SPEC for a period: {@code 300 -> 5m}, {@code 7200 -> 2h}, {@code 90 -> 90s}. */
    public static String format(long seconds) {
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
