package org.clusterbackup.core.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Objects;

/**
 * How sizes and times are written for people, the same in {@code backupctl}'s tables and in the console:
 * sizes in binary units with one decimal ({@code 1.5 KiB}), times in a zone as {@code 2026-01-02 03:04:05},
 * how long a run took in seconds with one decimal ({@code 12.3 s}).
 */
public final class Display {
    /** Sortable as text, to the second, without a zone: the reader's zone is implied. */
    public static final String TIME_PATTERN = "uuuu-MM-dd HH:mm:ss";

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    /**
     * Below a TiB a size's tenths are computed in integers, exactly as {@code %.1f} rounds the double: the
     * quotient's distance from a tie is then far above a double's error. Beyond it, {@code String.format}.
     */
    private static final long EXACT_SIZES = 1L << 40;

    /**
     * Below 10^15 ms (31,000 years) a duration's seconds have at most 15 digits, so the double's shortest
     * digits, which {@code %.1f} rounds half up, are those of the exact decimal.
     */
    private static final long EXACT_MILLIS = 1_000_000_000_000_000L;

    private final ZoneId zone;
    private final ZoneRules rules;
    private final DateTimeFormatter time;

    private Display(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.rules = zone.getRules();
        this.time = DateTimeFormatter.ofPattern(TIME_PATTERN, Locale.ROOT).withZone(zone);
    }

    /** Times in {@code zone}: the user's, or a fixed one in tests. */
    public static Display in(ZoneId zone) {
        return new Display(zone);
    }

    /** Times in this machine's zone. */
    public static Display local() {
        return new Display(ZoneId.systemDefault());
    }

    public ZoneId zone() {
        return zone;
    }

    /** {@code 2026-01-02 03:04:05} in this display's zone. */
    public String time(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        // the zone's offset at that instant, as the formatter takes it; then the digits by hand (years 0-9999)
        long local = instant.getEpochSecond() + rules.getOffset(instant).getTotalSeconds();
        char[] text = new char[19];
        return UtcTime.writeCivil(local, ' ', text, 0) ? new String(text) : time.format(instant);
    }

    /** {@code 1023 B}, {@code 1.5 KiB}, {@code 12.3 MiB}: 1024-based, one decimal above a KiB. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < EXACT_SIZES) {
            // what %.1f prints for bytes / 1024^k (exact in binary): rounded half up, in whole tenths
            int shift = 10;
            while (bytes >= 1L << (shift + 10)) {
                shift += 10;
            }
            return tenths((bytes * 20 + (1L << shift)) >> (shift + 1)) + " " + UNITS[shift / 10 - 1];
        }
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < UNITS.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }

    /** How long something took: {@code 0.4 s}, {@code 3725.0 s}, in seconds with one decimal. */
    public static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis >= 0 && millis < EXACT_MILLIS) {
            return tenths((millis + 50) / 100) + " s"; // %.1f of millis / 1000.0: half up, in whole tenths
        }
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String tenths(long tenths) {
        return (tenths / 10) + "." + (tenths % 10);
    }
}
