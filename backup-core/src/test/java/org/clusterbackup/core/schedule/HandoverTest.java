package org.clusterbackup.core.schedule;

import static org.clusterbackup.core.schedule.Simulation.T0;
import static org.clusterbackup.core.schedule.Simulation.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.clusterbackup.core.model.TargetState;
import org.junit.jupiter.api.Test;

/** Targets moving between servers: given away idle and furthest from their next run, adopted only once. */
class HandoverTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final Simulation sim = new Simulation();

    private static RestoredTarget ranAt(long id, Duration ago) {
        return new RestoredTarget(target(id, HOUR), T0.minus(ago), RunResult.stored());
    }

    @Test
    void theTargetsGivenAwayAreTheIdleOnesWhoseNextRunIsFurthestAway() {
        sim.start(
                SchedulerConfig.defaults().withMaxConcurrentRuns(1),
                List.of(
                        ranAt(1, Duration.ofMinutes(50)),
                        ranAt(2, Duration.ofMinutes(5)),
                        ranAt(3, Duration.ofMinutes(30)),
                        ranAt(4, Duration.ofMinutes(1))));
        sim.scheduler.add(target(5, HOUR)); // due now: takes the one slot and stays running
        sim.scheduler.runDue();
        sim.scheduler.runNow(4); // waits for the slot: its caller waits here

        assertEquals(List.of(2L, 3L), sim.scheduler.giveAway(List.of(1L, 2L, 3L, 4L, 5L), 2));
        assertEquals(Optional.empty(), sim.scheduler.status(2));
        assertEquals(Optional.empty(), sim.scheduler.status(3));
        assertEquals(
                List.of(1L),
                sim.scheduler.giveAway(List.of(1L, 4L, 5L), 5),
                "never the running one (5) nor the one whose manual run waits (4)");
        assertEquals(TargetState.RUNNING, sim.scheduler.status(5).orElseThrow().state());

        sim.advanceBy(Duration.ofHours(2));
        assertEquals(
                List.of(),
                sim.runs.calls().stream().filter(c -> c.id() <= 3).toList(),
                "nothing given away runs here again");
    }

    @Test
    void aTargetLostWhileItsRunGoesOnIsNotAdoptedAgainUntilThatRunEnds() {
        sim.start(SchedulerConfig.defaults());
        sim.scheduler.add(target(1, HOUR));
        sim.scheduler.runDue(); // its run is dispatched and goes on
        sim.scheduler.remove(1); // its claim is lost meanwhile

        assertThrows(
                IllegalArgumentException.class,
                () -> sim.scheduler.adopt(List.of(RestoredTarget.neverRun(target(1, HOUR)))),
                "a second entry would start a second run beside the one going on");
        sim.settle();
        assertEquals(1, sim.runs.calls().size(), "one run");

        sim.scheduler.adopt(List.of(ranAt(1, Duration.ZERO))); // that run has ended: it comes back
        assertEquals(
                TargetState.SCHEDULED, sim.scheduler.status(1).orElseThrow().state());
    }
}
