package org.clusterbackup.core.schedule;

import static org.clusterbackup.core.schedule.Simulation.T0;
import static org.clusterbackup.core.schedule.Simulation.at;
import static org.clusterbackup.core.schedule.Simulation.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetState;
import org.junit.jupiter.api.Test;

class UnregisterTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final RunResult UNREACHABLE = RunResult.failed(FailureKind.UNREACHABLE, "no route to host");

    private final Simulation sim = new Simulation();

    @Test
    void removingAScheduledTargetCancelsItsNextRun() {
        sim.start(SchedulerConfig.defaults(), List.of(new RestoredTarget(target(1, HOUR), T0, RunResult.stored())));

        assertTrue(sim.scheduler.remove(1));
        sim.advanceBy(Duration.ofHours(3));

        assertEquals(List.of(), sim.runs.calls());
        assertEquals(Optional.empty(), sim.scheduler.status(1));
        assertFalse(sim.scheduler.remove(1), "already gone");
    }

    @Test
    void removingATargetWaitingForASlotDropsItFromTheQueue() {
        sim.start(SchedulerConfig.defaults().withMaxConcurrentRuns(1));
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.add(target(2, HOUR));
        sim.scheduler.runDue();
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, T0),
                sim.scheduler.status(2).orElseThrow(),
                "due, waiting for the slot target 1 holds");

        sim.scheduler.remove(2);
        sim.advanceBy(Duration.ofMinutes(30));

        assertEquals(List.of(1L), sim.runs.order());
    }

    @Test
    void removingAManualRunWaitingForASlotCancelsItsFuture() {
        sim.start(
                SchedulerConfig.defaults().withMaxConcurrentRuns(1),
                List.of(new RestoredTarget(target(2, HOUR), T0, RunResult.stored())));
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.runDue();
        CompletableFuture<RunResult> manual = sim.scheduler.runNow(2);

        sim.scheduler.remove(2);
        sim.settle();

        CompletionException e = assertThrows(CompletionException.class, manual::join);
        assertInstanceOf(CancellationException.class, e.getCause());
        assertEquals(List.of(1L), sim.runs.order());
    }

    @Test
    void removingTheLastRetryingTargetOfANodeStopsItsProbeLoop() {
        sim.start(SchedulerConfig.defaults());
        sim.runs.always(1, UNREACHABLE).always(2, UNREACHABLE);
        sim.scheduler.add(target(1, "n1", HOUR));
        sim.scheduler.add(target(2, "n1", HOUR));
        sim.advanceBy(Duration.ofSeconds(10));
        assertEquals(1, sim.prober.probes().size());

        sim.scheduler.remove(1);
        sim.advanceBy(Duration.ofSeconds(10));
        assertEquals(2, sim.prober.probes().size(), "target 2 still waits: probing goes on");

        sim.scheduler.remove(2);
        sim.advanceBy(Duration.ofHours(2));
        assertEquals(2, sim.prober.probes().size(), "nothing waits: no more probes");
        assertEquals(2, sim.runs.calls().size());
    }

    @Test
    void removingARunningTargetLetsTheRunFinishAndSchedulesNothingAfter() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.runDue();
        CompletableFuture<RunResult> run = sim.scheduler.runNow(1);
        assertEquals(
                new TargetStatus(TargetState.RUNNING, null),
                sim.scheduler.status(1).orElseThrow());

        assertTrue(sim.scheduler.remove(1));
        assertEquals(Optional.empty(), sim.scheduler.status(1));
        sim.settle();

        assertEquals(Outcome.STORED, run.join().outcome(), "the run finished");
        sim.advanceBy(Duration.ofHours(3));
        assertEquals(1, sim.runs.calls().size());
        assertEquals(Optional.empty(), sim.scheduler.status(1));
    }

    @Test
    void reRegisteringWhileTheOldRunIsInProgressRunsAgainOnlyAfterItEnds() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.runDue();
        sim.scheduler.remove(1);
        sim.clock.moveTo(at(Duration.ofMinutes(1)));

        sim.scheduler.add(target(1, Duration.ofMinutes(30)));
        sim.scheduler.runDue();
        assertEquals(1, sim.executor.pending(), "no second run of the same target at once");
        assertEquals(TargetState.RUNNING, sim.scheduler.status(1).orElseThrow().state());

        sim.clock.moveTo(at(Duration.ofMinutes(5)));
        sim.settle();

        // The old run was held in the executor until 5 min; the new one started when it ended.
        assertEquals(
                List.of(at(Duration.ofMinutes(5)), at(Duration.ofMinutes(5))),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::at).toList());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(Duration.ofMinutes(35))),
                sim.scheduler.status(1).orElseThrow());
    }

    @Test
    void reRegisteringAfterRemovalRunsAtOnce() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.advanceBy(Duration.ofMinutes(10));
        sim.scheduler.remove(1);

        sim.scheduler.add(target(1, HOUR));
        sim.settle();

        assertEquals(
                List.of(T0, at(Duration.ofMinutes(10))),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::at).toList());
    }
}
