package org.clusterbackup.core.schedule;

import static org.clusterbackup.core.schedule.Simulation.T0;
import static org.clusterbackup.core.schedule.Simulation.at;
import static org.clusterbackup.core.schedule.Simulation.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetState;
import org.junit.jupiter.api.Test;

class ManualRunTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Simulation sim = new Simulation();

    @Test
    void runNowJoinsTheRunInProgress() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.runDue(); // the scheduled run starts and is held in the executor

        CompletableFuture<RunResult> first = sim.scheduler.runNow(1);
        CompletableFuture<RunResult> second = sim.scheduler.runNow(1);
        assertFalse(first.isDone());
        sim.settle();

        assertEquals(List.of(new FakeRuns.Call(1, RunTrigger.SCHEDULE, T0)), sim.runs.calls());
        assertSame(first.join(), second.join());
        assertEquals(Outcome.STORED, first.join().outcome());
    }

    @Test
    void twoRunNowCallsBeforeTheRunStartsShareOneRun() {
        sim.start(SchedulerConfig.defaults(), List.of(new RestoredTarget(target(1, HOUR), T0, RunResult.stored())));

        CompletableFuture<RunResult> first = sim.scheduler.runNow(1);
        CompletableFuture<RunResult> second = sim.scheduler.runNow(1);
        sim.settle();

        assertEquals(List.of(new FakeRuns.Call(1, RunTrigger.MANUAL, T0)), sim.runs.calls());
        assertSame(first.join(), second.join());
    }

    @Test
    void cancellingOneCallersFutureDoesNotDisturbTheRunOrOtherCallers() {
        sim.start(SchedulerConfig.defaults(), List.of(new RestoredTarget(target(1, HOUR), T0, RunResult.stored())));
        CompletableFuture<RunResult> impatient = sim.scheduler.runNow(1);
        CompletableFuture<RunResult> patient = sim.scheduler.runNow(1);

        impatient.orTimeout(0, TimeUnit.NANOSECONDS).exceptionally(e -> null).join();
        sim.settle();

        assertEquals(Outcome.STORED, patient.join().outcome());
        assertEquals(1, sim.runs.calls().size());
    }

    @Test
    void runNowLeavesTheScheduleAsItWas() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.advanceBy(Duration.ofMinutes(20));

        assertEquals(Outcome.STORED, runNow(1).outcome());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(HOUR)),
                sim.scheduler.status(1).orElseThrow());
        sim.advanceBy(Duration.ofMinutes(40));

        assertEquals(
                List.of(
                        new FakeRuns.Call(1, RunTrigger.SCHEDULE, T0),
                        new FakeRuns.Call(1, RunTrigger.MANUAL, at(Duration.ofMinutes(20))),
                        new FakeRuns.Call(1, RunTrigger.SCHEDULE, at(HOUR))),
                sim.runs.calls());
    }

    @Test
    void aManualRunThatSpansTheDueTimeStandsForTheScheduledRun() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.advanceBy(Duration.ofMinutes(59));
        sim.runs.takes(1, Duration.ofMinutes(5));

        sim.scheduler.runNow(1);
        sim.settle();

        assertEquals(2, sim.runs.calls().size(), "no scheduled run right after the manual one");
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(Duration.ofMinutes(119))),
                sim.scheduler.status(1).orElseThrow());
    }

    @Test
    void runNowWaitsForASlotAheadOfScheduledRuns() {
        sim.start(
                SchedulerConfig.defaults().withMaxConcurrentRuns(1),
                List.of(new RestoredTarget(target(3, HOUR), T0, RunResult.stored())));
        sim.scheduler.add(target(4, HOUR));
        sim.scheduler.add(target(5, HOUR));
        sim.scheduler.runDue();
        assertEquals(1, sim.executor.pending(), "target 4 holds the only slot; target 5 is due and waits");

        CompletableFuture<RunResult> manual = sim.scheduler.runNow(3);
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, T0),
                sim.scheduler.status(3).orElseThrow(),
                "a manual run waiting for a slot reports when it was asked for");
        sim.settle();

        assertEquals(List.of(4L, 3L, 5L), sim.runs.order());
        assertEquals(RunTrigger.MANUAL, sim.runs.callsOf(3).get(0).trigger());
        assertTrue(manual.isDone());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(HOUR)),
                sim.scheduler.status(3).orElseThrow(),
                "the manual run did not move target 3's schedule");
    }

    @Test
    void runNowOnARetryingTargetThatSucceedsReturnsItToItsSchedule() {
        sim.start(SchedulerConfig.defaults());
        sim.runs.next(1, RunResult.failed(FailureKind.UNREACHABLE, "connection reset"));
        sim.scheduler.add(target(1, "n1", HOUR));
        sim.advanceBy(Duration.ofSeconds(20));
        assertEquals(TargetState.RETRYING, sim.scheduler.status(1).orElseThrow().state());
        int probes = sim.prober.probes().size();

        RunResult result = runNow(1);

        assertEquals(Outcome.STORED, result.outcome());
        assertEquals(
                new TargetStatus(
                        TargetState.SCHEDULED, at(Duration.ofSeconds(20)).plus(HOUR)),
                sim.scheduler.status(1).orElseThrow());
        sim.advanceBy(Duration.ofMinutes(30));
        assertEquals(probes, sim.prober.probes().size(), "its probe loop stopped");
    }

    @Test
    void runNowThatFindsTheNodeUnreachableMakesTheTargetRetrying() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, "n1", HOUR));
        sim.advanceBy(Duration.ofMinutes(10));
        sim.runs.next(1, RunResult.failed(FailureKind.UNREACHABLE, "timeout"));

        runNow(1);

        assertEquals(
                new TargetStatus(
                        TargetState.RETRYING, at(Duration.ofMinutes(10)).plusSeconds(5)),
                sim.scheduler.status(1).orElseThrow());
    }

    @Test
    void runNowOfAnUnknownTargetIsRefused() {
        sim.start(SchedulerConfig.defaults());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> sim.scheduler.runNow(42));
        assertEquals("[target 42] is not scheduled", e.getMessage());
    }

    private RunResult runNow(long id) {
        CompletableFuture<RunResult> f = sim.scheduler.runNow(id);
        sim.settle();
        assertTrue(f.isDone());
        return f.join();
    }
}
