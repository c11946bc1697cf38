package org.clusterbackup.console.viewmodel;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.clusterbackup.core.model.Frequency;

/** How the console writes times, sizes and periods: as {@code backupctl}'s tables do. */
public final class Formats {
    private final ZoneId zone;
    private final DateTimeFormatter time;
    private final DateTimeFormatter shortTime;
    private final DateTimeFormatter clockTime;

    /** @param zone the zone times are shown in: the user's, or a fixed one in tests */
    public Formats(ZoneId zone) {
        this.zone = zone;
        this.time = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(zone);
        this.shortTime = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(zone);
        this.clockTime = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    /** {@code 2026-01-02 03:04:05} in the local zone; empty for none. */
    public String time(Instant instant) {
        return instant == null ? "" : time.format(instant);
    }

    /** {@code 01-02 03:04} in the local zone, for chart axes. */
    public String shortTime(Instant instant) {
        return instant == null ? "" : shortTime.format(instant);
    }

    /** {@code 03:04:05} in the local zone, for chart axes that span less than a day. */
    public String clockTime(Instant instant) {
        return instant == null ? "" : clockTime.format(instant);
    }

    /** Sizes for people: {@code 1023 B}, {@code 1.5 KiB}, {@code 12.3 MiB}. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A period as SPEC: {@code 5m}, {@code 2h}, {@code 90s}. */
    public static String every(long seconds) {
        return Frequency.format(seconds);
    }

    /** How long a run took: {@code 0.4 s}; empty while it runs. */
    public static String took(Instant started, Instant finished) {
        if (started == null || finished == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f s", Duration.between(started, finished).toMillis() / 1000.0);
    }
}
