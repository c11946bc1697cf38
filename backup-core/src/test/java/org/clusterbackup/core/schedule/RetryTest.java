package org.clusterbackup.core.schedule;

import static org.clusterbackup.core.schedule.Simulation.T0;
import static org.clusterbackup.core.schedule.Simulation.at;
import static org.clusterbackup.core.schedule.Simulation.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetState;
import org.junit.jupiter.api.Test;

class RetryTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final RunResult UNREACHABLE = RunResult.failed(FailureKind.UNREACHABLE, "connect refused");

    private final Simulation sim = new Simulation();

    @Test
    void probesBackOffByDoublingUpToRetryMax() {
        sim.start(SchedulerConfig.defaults().withRetry(Duration.ofSeconds(5), Duration.ofMinutes(5)));
        sim.runs.always(1, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", HOUR));

        sim.advanceBy(Duration.ofMinutes(30));

        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L), gapsSeconds(T0, 9));
        assertEquals(1, sim.runs.calls().size(), "no runs while the node does not answer");
        assertEquals(TargetState.RETRYING, sim.scheduler.status(1).orElseThrow().state());
    }

    @Test
    void backoffIsCappedByTheTargetPeriod() {
        sim.start(SchedulerConfig.defaults().withRetry(Duration.ofSeconds(5), Duration.ofMinutes(5)));
        sim.runs.always(1, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", Duration.ofSeconds(1)));

        sim.advanceBy(Duration.ofSeconds(10));

        assertEquals(List.of(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L), gapsSeconds(T0, 10));
    }

    @Test
    void statusOfARetryingTargetShowsTheNextProbe() {
        sim.start(SchedulerConfig.defaults());
        sim.runs.always(1, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", HOUR));
        sim.settle();

        assertEquals(
                new TargetStatus(TargetState.RETRYING, at(Duration.ofSeconds(5))),
                sim.scheduler.status(1).orElseThrow());
        sim.advanceBy(Duration.ofSeconds(5));
        assertEquals(
                new TargetStatus(TargetState.RETRYING, at(Duration.ofSeconds(15))),
                sim.scheduler.status(1).orElseThrow());
    }

    @Test
    void oneProbeLoopServesAllTargetsOfANodePort() {
        sim.start(SchedulerConfig.defaults());
        for (long id = 1; id <= 100; id++) {
            sim.runs.always(id, UNREACHABLE);
            sim.scheduler.add(target(id, "n1", HOUR));
        }

        sim.advanceBy(Duration.ofMinutes(1));

        assertEquals(100, sim.runs.calls().size());
        // Backoff steps at 5, 15 and 35 s: one probe each, not one per target.
        assertEquals(List.of(5L, 10L, 20L), gapsSeconds(T0, 3));
        assertEquals(3, sim.prober.probes().size());
    }

    @Test
    void whenTheProbeAnswersEveryWaitingTargetOfTheNodeRunsWithinTheConcurrencyLimit() {
        sim.start(SchedulerConfig.defaults());
        for (long id = 1; id <= 100; id++) {
            sim.runs.next(id, UNREACHABLE);
            sim.scheduler.add(target(id, "n1", HOUR));
        }
        sim.scheduler.add(target(101, "n2", HOUR)); // another node, not waiting
        sim.advanceBy(Duration.ofSeconds(10));
        assertEquals(1, sim.prober.probes().size());

        sim.prober.answer("n1", 7070, true);
        sim.clock.moveTo(at(Duration.ofSeconds(15)));
        sim.scheduler.runDue();
        sim.executor.runNext(); // the probe
        sim.scheduler.runDue();
        assertEquals(4, sim.executor.pending(), "retries wait for slots like any run");
        sim.settle();

        List<FakeRuns.Call> retries = sim.runs.calls().stream()
                .filter(c -> c.trigger() == RunTrigger.RETRY)
                .toList();
        assertEquals(100, retries.size());
        assertTrue(retries.stream().allMatch(c -> c.at().equals(at(Duration.ofSeconds(15)))));
        for (long id = 1; id <= 100; id++) {
            assertEquals(
                    new TargetStatus(
                            TargetState.SCHEDULED, at(Duration.ofSeconds(15)).plus(HOUR)),
                    sim.scheduler.status(id).orElseThrow());
        }
        assertEquals(1, sim.runs.callsOf(101).size(), "the other node's target is untouched");
        sim.advanceBy(Duration.ofMinutes(10));
        assertEquals(2, sim.prober.probes().size(), "probing stopped once nothing waits");
    }

    @Test
    void unreachableAgainAfterAnAnswerKeepsRetryingAndTheBackoffContinues() {
        sim.start(SchedulerConfig.defaults());
        sim.runs.always(1, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", HOUR));
        sim.advanceBy(Duration.ofSeconds(10)); // probe at 5 s: no answer
        sim.prober.answer("n1", 7070, true);
        sim.advanceBy(Duration.ofSeconds(5)); // probe at 15 s answers; the run breaks again
        sim.prober.answer("n1", 7070, false);

        assertEquals(
                List.of(RunTrigger.SCHEDULE, RunTrigger.RETRY),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::trigger).toList());
        assertEquals(
                new TargetStatus(TargetState.RETRYING, at(Duration.ofSeconds(35))),
                sim.scheduler.status(1).orElseThrow(),
                "next wait is 20 s: the backoff went on from 10 s");
        sim.advanceBy(Duration.ofMinutes(2));
        assertEquals(List.of(5L, 10L, 20L, 40L), gapsSeconds(T0, 4));
    }

    @Test
    void refusedRunIsNotRetriedAtOnceButAtTheNextPeriod() {
        sim.start(SchedulerConfig.defaults());
        sim.runs.next(1, RunResult.failed(FailureKind.REFUSED, "path not allowed"));
        sim.runs.next(2, RunResult.failed(FailureKind.OTHER, "disk full"));
        sim.scheduler.add(target(1, "n1", HOUR));
        sim.scheduler.add(target(2, "n2", HOUR));
        sim.settle();

        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(HOUR)),
                sim.scheduler.status(1).orElseThrow());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(HOUR)),
                sim.scheduler.status(2).orElseThrow());
        sim.advanceBy(HOUR);

        assertEquals(
                List.of(T0, at(HOUR)),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::at).toList());
        assertEquals(
                List.of(T0, at(HOUR)),
                sim.runs.callsOf(2).stream().map(FakeRuns.Call::at).toList());
        assertEquals(List.of(), sim.prober.probes());
    }

    @Test
    void anotherTargetReachingTheNodeReleasesItsWaitingTargets() {
        sim.start(
                SchedulerConfig.defaults(),
                List.of(new RestoredTarget(
                        target(2, "n1", HOUR), at(Duration.ofSeconds(30)).minus(HOUR), RunResult.stored())));
        sim.runs.next(1, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", HOUR));

        sim.advanceBy(Duration.ofSeconds(30)); // probes at 5 and 15 s fail; target 2 runs at 30 s and stores

        assertEquals(
                List.of(
                        new FakeRuns.Call(1, RunTrigger.SCHEDULE, T0),
                        new FakeRuns.Call(2, RunTrigger.SCHEDULE, at(Duration.ofSeconds(30))),
                        new FakeRuns.Call(1, RunTrigger.RETRY, at(Duration.ofSeconds(30)))),
                sim.runs.calls());
        assertEquals(
                TargetState.SCHEDULED, sim.scheduler.status(1).orElseThrow().state());
        assertEquals(2, sim.prober.probes().size());
    }

    @Test
    void aProberThatThrowsCountsAsNoAnswerAndProbingGoesOn() {
        sim.start(SchedulerConfig.defaults());
        sim.prober.throwing(new IllegalStateException("bug in the prober"));
        sim.runs.next(1, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", HOUR));

        sim.advanceBy(Duration.ofSeconds(40));

        assertEquals(List.of(5L, 10L, 20L), gapsSeconds(T0, 3));
        assertEquals(TargetState.RETRYING, sim.scheduler.status(1).orElseThrow().state());
    }

    @Test
    void aShortPeriodTargetJoiningBringsTheNextProbeForward() {
        sim.start(SchedulerConfig.defaults());
        sim.runs.always(1, UNREACHABLE).always(2, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", HOUR));
        sim.advanceBy(Duration.ofMinutes(10)); // backoff has grown to 5 min
        Instant planned = sim.scheduler.status(1).orElseThrow().nextRunAt();
        assertTrue(planned.isAfter(sim.now().plusSeconds(10)), "next probe at " + planned);

        sim.scheduler.add(target(2, "n1", Duration.ofSeconds(10)));
        sim.settle();

        assertEquals(
                sim.now().plusSeconds(10), sim.scheduler.status(1).orElseThrow().nextRunAt());
        assertEquals(
                sim.now().plusSeconds(10), sim.scheduler.status(2).orElseThrow().nextRunAt());
    }

    /** Seconds between consecutive probes, the first counted from {@code from}. */
    private List<Long> gapsSeconds(Instant from, int count) {
        List<Long> gaps = new ArrayList<>();
        Instant previous = from;
        for (FakeProber.Probe p : sim.prober.probes().subList(0, count)) {
            gaps.add(Duration.between(previous, p.at()).toSeconds());
            previous = p.at();
        }
        return gaps;
    }
}
