package org.clusterbackup.core.schedule;

import static org.clusterbackup.core.schedule.Simulation.T0;
import static org.clusterbackup.core.schedule.Simulation.at;
import static org.clusterbackup.core.schedule.Simulation.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.model.TargetState;
import org.junit.jupiter.api.Test;

class DueQueueTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Simulation sim = new Simulation();

    @Test
    void targetsRunInDueOrder() {
        // Last starts chosen so that the due order (3, 1, 2) is neither id order nor list order.
        sim.start(
                SchedulerConfig.defaults().withMaxConcurrentRuns(1),
                List.of(
                        ranAt(target(1, HOUR), at(Duration.ofMinutes(-40))),
                        ranAt(target(2, HOUR), at(Duration.ofMinutes(-20))),
                        ranAt(target(3, HOUR), at(Duration.ofMinutes(-50)))));

        sim.advanceBy(Duration.ofMinutes(45));

        assertEquals(List.of(3L, 1L, 2L), sim.runs.order());
        assertEquals(
                List.of(at(Duration.ofMinutes(10)), at(Duration.ofMinutes(20)), at(Duration.ofMinutes(40))),
                sim.runs.calls().stream().map(FakeRuns.Call::at).toList());
    }

    @Test
    void periodIsMeasuredFromThePreviousStart() {
        sim.start(SchedulerConfig.defaults());
        sim.runs.takes(1, Duration.ofMinutes(10));
        sim.scheduler.add(target(1, HOUR));

        sim.advanceBy(Duration.ofMinutes(150));

        assertEquals(
                List.of(T0, at(HOUR), at(HOUR.multipliedBy(2))),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::at).toList());
    }

    @Test
    void runLongerThanItsPeriodIsFollowedWhenItEndsNotOverlapped() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.runDue();
        assertEquals(1, sim.executor.pending(), "the first run started");

        sim.clock.moveTo(at(HOUR));
        sim.scheduler.runDue();
        assertEquals(1, sim.executor.pending(), "no second run while the first is in progress");
        assertEquals(TargetState.RUNNING, sim.scheduler.status(1).orElseThrow().state());

        sim.clock.moveTo(at(Duration.ofMinutes(90)));
        sim.executor.runNext();
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(Duration.ofMinutes(90))),
                sim.scheduler.status(1).orElseThrow(),
                "next due is the end, since start + period has passed");
        sim.settle();

        // The first run was held in the executor until 90 min, so both calls happened then.
        assertEquals(2, sim.runs.callsOf(1).size());
        assertEquals(
                new TargetStatus(TargetState.SCHEDULED, at(Duration.ofMinutes(150))),
                sim.scheduler.status(1).orElseThrow());
    }

    @Test
    void atMostMaxConcurrentRunsAndTheRestStartInDueOrderAsSlotsFree() {
        List<RestoredTarget> restored = new ArrayList<>();
        for (long id = 1; id <= 10; id++) {
            // Due 1..10 minutes ago, the higher ids longer ago, so due order is 10, 9, ..., 1.
            restored.add(ranAt(target(id, HOUR), at(Duration.ofMinutes(-60 - id))));
        }
        SchedulerConfig config = new SchedulerConfig(
                4,
                16,
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO);
        sim.start(config, restored);

        sim.scheduler.runDue();
        assertEquals(4, sim.executor.pending());
        assertEquals(4, running());

        while (sim.executor.runNext()) {
            sim.scheduler.runDue();
            assertTrue(running() <= 4, "never more than 4 at once");
        }
        assertEquals(List.of(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L), sim.runs.order());
    }

    @Test
    void newTargetRunsWithinTwoSecondsOfBeingAdded() {
        sim.start(SchedulerConfig.defaults());
        sim.advanceBy(Duration.ofMinutes(3));
        Instant added = sim.now();

        sim.scheduler.add(target(1, HOUR));
        sim.advanceBy(Duration.ofSeconds(2));

        assertEquals(1, sim.runs.callsOf(1).size());
        Instant ran = sim.runs.callsOf(1).get(0).at();
        assertTrue(!ran.isAfter(added.plusSeconds(2)), "ran at " + ran + ", added at " + added);
    }

    @Test
    void newPeriodReschedulesFromTheLastStart() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.advanceBy(Duration.ofMinutes(10));

        sim.scheduler.add(target(1, Duration.ofHours(2)));
        assertEquals(
                at(Duration.ofHours(2)), sim.scheduler.status(1).orElseThrow().nextRunAt());

        sim.scheduler.add(target(1, Duration.ofMinutes(20)));
        assertEquals(
                at(Duration.ofMinutes(20)),
                sim.scheduler.status(1).orElseThrow().nextRunAt());
        sim.advanceTo(at(Duration.ofMinutes(30)));
        assertEquals(
                List.of(T0, at(Duration.ofMinutes(20))),
                sim.runs.callsOf(1).stream().map(FakeRuns.Call::at).toList());
    }

    @Test
    void fiveThousandTargetsRunOnSchedulePeriodAfterPeriodWithoutTicking() {
        sim.start(SchedulerConfig.defaults());
        Duration[] periods = {
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30), HOUR
        };
        Map<Long, Duration> periodOf = new HashMap<>();
        for (long id = 1; id <= 5000; id++) {
            Duration every = periods[(int) (id % periods.length)];
            periodOf.put(id, every);
            sim.scheduler.add(target(id, "node" + (id % 300), every));
        }

        sim.advanceTo(at(HOUR));

        // Every target ran at T0 and then at each multiple of its period up to the hour, inclusive:
        // 13 + 7 + 5 + 3 + 2 runs per group of 1000.
        assertEquals(1000 * (13 + 7 + 5 + 3 + 2), sim.runs.calls().size());
        for (FakeRuns.Call call : sim.runs.calls()) {
            long sinceStart = Duration.between(T0, call.at()).toSeconds();
            assertEquals(0, sinceStart % periodOf.get(call.id()).toSeconds(), () -> "off-period run " + call);
        }
        // The clock jumped only to instants where something was due: every 5 minutes, 12 jumps in the hour.
        assertEquals(12, sim.wakeups);
    }

    private long running() {
        long n = 0;
        for (long id = 1; id <= 10; id++) {
            if (sim.scheduler.status(id).orElseThrow().state() == TargetState.RUNNING) {
                n++;
            }
        }
        return n;
    }

    static RestoredTarget ranAt(ScheduledTarget t, Instant lastStart) {
        return new RestoredTarget(t, lastStart, RunResult.unchanged());
    }
}
