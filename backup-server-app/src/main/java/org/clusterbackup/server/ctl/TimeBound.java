package org.clusterbackup.server.ctl;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.clusterbackup.core.model.DurationSpec;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.UtcTime;

/**
 * A time a user gives {@code log --since/--until}: the contract's UTC time ({@code 2026-01-02T03:04:05.123Z},
 * milliseconds optional) or a DURATION back from now ({@code 2h}, {@code 30m}).
 */
final class TimeBound {
    private TimeBound() {}

    /** @throws InvalidInputException naming the option and both accepted forms */
    static Instant parse(String option, String value, Clock clock) {
        if (value.isEmpty() || !Character.isDigit(value.charAt(0))) {
            throw invalid(option, value);
        }
        if (value.indexOf('T') > 0) {
            try {
                return UtcTime.parse(value);
            } catch (DateTimeParseException e) {
                throw invalid(option, value);
            }
        }
        try {
            return clock.instant().minus(DurationSpec.parse(value));
        } catch (InvalidInputException e) {
            throw invalid(option, value);
        }
    }

    private static InvalidInputException invalid(String option, String value) {
        return new InvalidInputException(option + " '" + value + "' is neither a UTC time like 2026-01-02T03:04:05.123Z"
                + " nor a duration back from now like 2h, 30m or 90s");
    }
}
