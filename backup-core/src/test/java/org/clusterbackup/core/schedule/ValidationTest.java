package org.clusterbackup.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.junit.jupiter.api.Test;

class ValidationTest {
    @Test
    void defaultsMatchTheIssue() {
        SchedulerConfig c = SchedulerConfig.defaults();
        assertEquals(4, c.maxConcurrentRuns());
        assertEquals(Duration.ofSeconds(5), c.retryInitial());
        assertEquals(Duration.ofMinutes(5), c.retryMax());
    }

    @Test
    void invalidSettingsAreRefusedNamingTheFieldAndTheValue() {
        SchedulerConfig d = SchedulerConfig.defaults();
        assertEquals(
                "maxConcurrentRuns must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxConcurrentRuns(0))
                        .getMessage());
        assertEquals(
                "retryMax cannot be less than retryInitial (PT10S), was PT5S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> d.withRetry(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                        .getMessage());
        assertEquals(
                "retryInitial must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> d.withRetry(Duration.ZERO, Duration.ofSeconds(5)))
                        .getMessage());
        assertEquals(
                "closeTimeout cannot be negative, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> d.withCloseTimeout(Duration.ofSeconds(-1)))
                        .getMessage());
    }

    @Test
    void aPeriodBelowOneSecondIsRefused() {
        assertEquals(
                "every cannot be less than 1s, was PT0.5S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ScheduledTarget(1, "n1", 7070, "/srv", Duration.ofMillis(500)))
                        .getMessage());
    }

    @Test
    void runResultCarriesAFailureKindExactlyWhenFailed() {
        assertThrows(IllegalArgumentException.class, () -> new RunResult(Outcome.FAILED, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> new RunResult(Outcome.STORED, FailureKind.OTHER, null));
    }

    @Test
    void aRunResultIsHowARunEndedNeverRunning() {
        assertThrows(IllegalArgumentException.class, () -> new RunResult(Outcome.RUNNING, null, null));
    }
}
