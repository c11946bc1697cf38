package org.clusterbackup.core.schedule;

import static org.clusterbackup.core.schedule.Simulation.T0;
import static org.clusterbackup.core.schedule.Simulation.at;
import static org.clusterbackup.core.schedule.Simulation.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetState;
import org.junit.jupiter.api.Test;

class StartupTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Simulation sim = new Simulation();

    @Test
    void overdueTargetsRunOnceAtDistinctInstantsWithinTheCatchUpSpreadInDueOrder() {
        List<RestoredTarget> restored = new ArrayList<>();
        for (long id = 1; id <= 20; id++) {
            // Down for hours: each missed several periods. Lower ids were due later.
            restored.add(new RestoredTarget(target(id, HOUR), at(Duration.ofMinutes(-300 + id)), RunResult.stored()));
        }
        sim.start(SchedulerConfig.defaults(), restored);

        sim.advanceBy(Duration.ofMinutes(30));

        List<FakeRuns.Call> calls = sim.runs.calls();
        assertEquals(20, calls.size(), "each overdue target ran once, not once per missed period");
        List<Instant> starts = calls.stream().map(FakeRuns.Call::at).toList();
        assertEquals(20, new HashSet<>(starts).size(), "distinct instants: " + starts);
        for (Instant s : starts) {
            assertTrue(!s.isBefore(T0) && s.isBefore(T0.plusSeconds(5)), "within 5 s of start-up: " + s);
        }
        List<Long> expectedOrder = new ArrayList<>();
        for (long id = 1; id <= 20; id++) {
            expectedOrder.add(id);
        }
        assertEquals(expectedOrder, sim.runs.order(), "most overdue first");
    }

    @Test
    void targetsNotYetDueKeepLastStartPlusPeriod() {
        sim.start(
                SchedulerConfig.defaults(),
                List.of(new RestoredTarget(target(1, HOUR), at(Duration.ofMinutes(-15)), RunResult.stored())));

        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(Duration.ofMinutes(45))),
                sim.scheduler.status(1).orElseThrow());
        sim.advanceBy(Duration.ofMinutes(44));
        assertEquals(0, sim.runs.calls().size());
        sim.advanceBy(Duration.ofMinutes(1));
        assertEquals(
                List.of(at(Duration.ofMinutes(45))),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::at).toList());
    }

    @Test
    void targetsThatNeverRanStartWithinTwoSeconds() {
        sim.start(
                SchedulerConfig.defaults(),
                List.of(
                        RestoredTarget.neverRun(target(1, HOUR)),
                        RestoredTarget.neverRun(target(2, HOUR)),
                        RestoredTarget.neverRun(target(3, HOUR))));

        sim.advanceBy(Duration.ofSeconds(2));

        assertEquals(List.of(1L, 2L, 3L), sim.runs.order());
        for (FakeRuns.Call c : sim.runs.calls()) {
            assertTrue(c.at().isBefore(T0.plusSeconds(2)), "started at " + c.at());
        }
    }

    @Test
    void lastRunUnreachableStartsRetryingWithAProbeAtOnce() {
        sim.start(
                SchedulerConfig.defaults(),
                List.of(new RestoredTarget(
                        target(1, "n1", HOUR),
                        at(Duration.ofMinutes(-10)),
                        RunResult.failed(FailureKind.UNREACHABLE, "connect refused"))));

        assertEquals(
                new TargetStatus(TargetState.RETRYING, T0),
                sim.scheduler.status(1).orElseThrow());

        sim.prober.answer("n1", 7070, true);
        sim.settle();

        assertEquals(List.of(new FakeProber.Probe("n1", 7070, T0)), sim.prober.probes());
        assertEquals(List.of(new FakeRuns.Call(1, RunTrigger.RETRY, T0)), sim.runs.calls());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(HOUR)),
                sim.scheduler.status(1).orElseThrow());
    }

    @Test
    void lastStartInTheFutureCountsFromNow() {
        // The clock was set back while the server was down.
        sim.start(
                SchedulerConfig.defaults(),
                List.of(new RestoredTarget(target(1, HOUR), at(Duration.ofDays(3)), RunResult.stored())));

        assertEquals(at(HOUR), sim.scheduler.status(1).orElseThrow().nextRunAt());
    }

    @Test
    void aTargetRestoredTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> sim.start(
                        SchedulerConfig.defaults(),
                        List.of(RestoredTarget.neverRun(target(7, HOUR)), RestoredTarget.neverRun(target(7, HOUR)))));
        assertEquals("[target 7] restored twice", e.getMessage());
    }
}
