package org.clusterbackup.core.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The DURATION of server and agent flags: {@code ^[1-9][0-9]*(ms|s|m|h)$}, unit required. */
public final class DurationSpec {
    private static final Pattern SPEC = Pattern.compile("([1-9][0-9]{0,9})(ms|s|m|h)");

    private DurationSpec() {}

    public static Duration parse(String spec) {
        Matcher m = spec == null ? null : SPEC.matcher(spec);
        if (m == null || !m.matches()) {
            throw new InvalidInputException("invalid duration '" + spec
                    + "': expected a whole number with a unit: ms, s, m or h (500ms, 5s, 5m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
