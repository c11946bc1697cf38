package org.clusterbackup.console.viewmodel;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.model.Frequency;

/**
 * How the console writes times and periods: as {@code backupctl}'s tables do, through core's {@link Display}
 * (which also writes the sizes), plus the short forms that chart axes need.
 */
public final class Formats {
    private final Display display;
    private final DateTimeFormatter shortTime;
    private final DateTimeFormatter clockTime;

    /** @param zone the zone times are shown in: the user's, or a fixed one in tests */
    public Formats(ZoneId zone) {
        this.display = Display.in(zone);
        this.shortTime = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(zone);
        this.clockTime = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    }

    public ZoneId zone() {
        return display.zone();
    }

    /** {@code 2026-01-02 03:04:05} in the local zone; empty for none. */
    public String time(Instant instant) {
        return instant == null ? "" : display.time(instant);
    }

    /** {@code 01-02 03:04} in the local zone, for chart axes. */
    public String shortTime(Instant instant) {
        return instant == null ? "" : shortTime.format(instant);
    }

    /** {@code 03:04:05} in the local zone, for chart axes that span less than a day. */
    public String clockTime(Instant instant) {
        return instant == null ? "" : clockTime.format(instant);
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
        return Display.duration(Duration.between(started, finished));
    }
}
