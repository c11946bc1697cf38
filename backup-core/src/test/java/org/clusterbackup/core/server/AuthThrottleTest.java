package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void eachFailureFromAnAddressWaitsLongerUpToTheCap() {
        AuthThrottle throttle = new AuthThrottle(new HandClock());
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waits.add(throttle.failed("10.0.0.1").toMillis());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3000L, 3000L, 3000L), waits);
        assertEquals(Duration.ofMillis(100), throttle.failed("10.0.0.2"), "another address starts afresh");
    }

    @Test
    void aQuietAddressIsForgiven() {
        HandClock clock = new HandClock();
        AuthThrottle throttle = new AuthThrottle(clock);
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        clock.now = clock.now.plus(AuthThrottle.FORGET_AFTER).plusSeconds(1);
        assertEquals(AuthThrottle.FIRST, throttle.failed("10.0.0.1"));
    }
}
