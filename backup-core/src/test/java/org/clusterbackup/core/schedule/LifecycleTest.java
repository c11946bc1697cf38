package org.clusterbackup.core.schedule;

import static org.clusterbackup.core.schedule.Simulation.T0;
import static org.clusterbackup.core.schedule.Simulation.at;
import static org.clusterbackup.core.schedule.Simulation.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Simulation sim = new Simulation();

    @Test
    void aRunExecutorThatThrowsCountsAsFailedOtherAndOtherTargetsStillRun() {
        sim.start(SchedulerConfig.defaults().withMaxConcurrentRuns(1));
        sim.runs.throwing(1, new IllegalStateException("bug in the pipeline"));
        sim.scheduler.add(target(1, HOUR));
        CompletableFuture<RunResult> failing = sim.scheduler.runNow(1);
        sim.scheduler.add(target(2, HOUR));

        sim.advanceBy(Duration.ofMinutes(90));

        RunResult r = failing.join();
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(FailureKind.OTHER, r.failure());
        assertTrue(r.error().contains("bug in the pipeline"), r.error());
        assertEquals(
                List.of(T0, at(HOUR)),
                sim.runs.callsOf(2).stream().map(FakeRuns.Call::at).toList());
        assertEquals(
                List.of(T0, at(HOUR)),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::at).toList(),
                "the failing target keeps its schedule too");
    }

    @Test
    void anExecutorThatRefusesWorkCountsTheRunAsFailedAndFreesTheSlot() {
        ManualClock clock = new ManualClock(T0);
        FakeRuns runs = new FakeRuns(clock);
        BackupScheduler s = BackupScheduler.create(
                SchedulerConfig.defaults().withMaxConcurrentRuns(1),
                runs,
                (node, port) -> true,
                task -> {
                    throw new RejectedExecutionException("pool is shut down");
                },
                clock,
                List.of());
        s.add(target(1, HOUR));
        s.add(target(2, HOUR));
        CompletableFuture<RunResult> f = s.runNow(1);

        s.runDue();
        s.runDue();

        assertEquals(FailureKind.OTHER, f.join().failure());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(HOUR)), s.status(1).orElseThrow());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(HOUR)),
                s.status(2).orElseThrow(),
                "target 2 got the slot after target 1 gave it back");
        assertEquals(List.of(), runs.calls());
    }

    @Test
    void closeCancelsWaitingManualRunsAndStopsDispatching() {
        sim.start(
                SchedulerConfig.defaults().withMaxConcurrentRuns(1).withCloseTimeout(Duration.ZERO),
                List.of(new RestoredTarget(target(2, HOUR), T0, RunResult.stored())));
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.runDue();
        CompletableFuture<RunResult> running = sim.scheduler.runNow(1);
        CompletableFuture<RunResult> waiting = sim.scheduler.runNow(2);

        sim.scheduler.close(); // target 1's run is still held: close gives up at once (timeout zero) and warns

        CompletionException e = assertThrows(CompletionException.class, waiting::join);
        assertInstanceOf(CancellationException.class, e.getCause());
        assertThrows(IllegalStateException.class, () -> sim.scheduler.add(target(3, HOUR)));
        assertThrows(IllegalStateException.class, () -> sim.scheduler.runNow(1));
        sim.executor.runAll();
        assertEquals(Outcome.STORED, running.join().outcome(), "the run in progress finished on its own");
        sim.clock.moveTo(at(Duration.ofHours(5)));
        assertEquals(java.util.Optional.empty(), sim.scheduler.runDue());
        assertEquals(0, sim.executor.pending());
        assertEquals(List.of(1L), sim.runs.order());
    }

    @Test
    void closeWaitsForRunsInProgress() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean runReturned = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ManualClock clock = new ManualClock(T0);
            BackupScheduler s = BackupScheduler.create(
                    SchedulerConfig.defaults(),
                    (t, trigger) -> {
                        started.countDown();
                        release.await();
                        runReturned.set(true);
                        return RunResult.unchanged();
                    },
                    (node, port) -> true,
                    pool,
                    clock,
                    List.of());
            s.add(target(1, HOUR));
            s.runDue();
            assertTrue(started.await(30, TimeUnit.SECONDS));

            AtomicBoolean returnedAfterRun = new AtomicBoolean();
            Thread closer = new Thread(() -> {
                s.close();
                returnedAfterRun.set(runReturned.get());
            });
            closer.start();
            // close() parks in a timed wait for the run: the only way it can reach TIMED_WAITING.
            Thread.State state = Awaitility.await("close() to wait or return")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(1))
                    .until(closer::getState, st -> st == Thread.State.TIMED_WAITING || st == Thread.State.TERMINATED);
            assertEquals(Thread.State.TIMED_WAITING, state, "close() returned while a run was in progress");
            release.countDown();
            closer.join();

            assertTrue(returnedAfterRun.get());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void startedSchedulerRunsTargetsOnItsOwnTimerThread() throws Exception {
        LinkedBlockingQueue<FakeRuns.Call> calls = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        Clock clock = Clock.systemUTC();
        // Target 2 ran just now, so no scheduled run of it can be in progress for runNow to join.
        List<RestoredTarget> restored =
                List.of(new RestoredTarget(target(2, HOUR), clock.instant(), RunResult.stored()));
        BackupScheduler s = BackupScheduler.start(
                SchedulerConfig.defaults(),
                (t, trigger) -> {
                    calls.add(new FakeRuns.Call(t.id(), trigger, clock.instant()));
                    return RunResult.stored();
                },
                (node, port) -> true,
                pool,
                clock,
                restored);
        try {
            s.add(target(1, HOUR));
            FakeRuns.Call first = calls.poll(30, TimeUnit.SECONDS);
            assertEquals(
                    new FakeRuns.Call(1, RunTrigger.SCHEDULE, null),
                    first == null ? null : withoutTime(first),
                    "the timer woke for the new target");

            RunResult manual = s.runNow(2).get(30, TimeUnit.SECONDS);
            assertEquals(Outcome.STORED, manual.outcome());
            FakeRuns.Call second = calls.poll(30, TimeUnit.SECONDS);
            assertEquals(new FakeRuns.Call(2, RunTrigger.MANUAL, null), second == null ? null : withoutTime(second));
        } finally {
            s.close();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().equals("backup-scheduler") && t.isAlive()),
                "timer thread ended");
    }

    private static FakeRuns.Call withoutTime(FakeRuns.Call c) {
        return new FakeRuns.Call(c.id(), c.trigger(), null);
    }
}
