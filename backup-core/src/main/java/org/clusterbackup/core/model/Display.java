package org.clusterbackup.core.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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

    private final ZoneId zone;
    private final DateTimeFormatter time;

    private Display(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
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
        return time.format(Objects.requireNonNull(instant, "instant"));
    }

    /** {@code 1023 B}, {@code 1.5 KiB}, {@code 12.3 MiB}: 1024-based, one decimal above a KiB. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
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
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
