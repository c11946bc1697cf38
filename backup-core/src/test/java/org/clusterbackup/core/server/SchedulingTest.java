package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule in real time over loopback, with short periods. The scheduler's logic is tested in
 * simulated time in the schedule package; these tests check that the server wires it up: runs without
 * anyone asking, retry when the agent comes back, nothing after unregister.
 */
class SchedulingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    Pipeline p;
    Path app;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir);
        p.settings =
                p.settings.withFirstRunDelay(Duration.ZERO).withRetry(Duration.ofMillis(200), Duration.ofMillis(500));
        app = Files.createDirectories(p.source.resolve("app"));
        Files.writeString(app.resolve("data.txt"), "data\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    private TargetSelector registerEvery2s() throws IOException {
        p.client.register("127.0.0.2", p.agentPort(), app.toString(), 2);
        return new TargetSelector("127.0.0.2", app.toString(), null);
    }

    @Test
    void aTwoSecondTargetRunsRepeatedlyOnItsOwn() throws Exception {
        p.start();
        TargetSelector target = registerEvery2s();
        await("three scheduled runs", () -> finished(target) >= 3);
        List<ExecutionInfo> log = p.client.log(target, 0);
        ExecutionInfo newest = log.get(0);
        ExecutionInfo previous = log.get(1);
        long gap = Duration.between(previous.startedAt(), newest.startedAt()).toMillis();
        assertTrue(gap >= 1900, "runs a period apart, start to start, never sooner: " + gap + " ms");
        assertEquals(Outcome.STORED, log.get(log.size() - 1).outcome());
        assertEquals(Outcome.UNCHANGED, newest.outcome(), "nothing changed since the first run");
        TargetInfo listed = p.client.list().get(0);
        assertNotNull(listed.lastSuccessAt());
        assertTrue(
                listed.state() == TargetState.SCHEDULED || listed.state() == TargetState.RUNNING,
                String.valueOf(listed.state()));
    }

    @Test
    void afterUnregisterNothingIsLeftInTheScheduleToStartARun() throws Exception {
        p.start();
        TargetSelector target = registerEvery2s();
        long id = p.client.list().get(0).id();
        await("a first run", () -> finished(target) >= 1);
        assertTrue(p.server.scheduled(id).isPresent(), "scheduled while registered");
        p.client.unregister(target);
        await(
                "the run in progress, if any, to end",
                () -> p.client.log(target, 0).stream().noneMatch(e -> e.finishedAt() == null));
        // Only the schedule starts runs on its own, and an unscheduled target never runs again (shown in
        // simulated time by schedule.UnregisterTest): so no waiting to see that nothing happens.
        assertEquals(Optional.empty(), p.server.scheduled(id));
    }

    @Test
    void aStoppedAgentIsRetriedAndCaughtUpWhenItComesBack() throws Exception {
        p.start();
        int port = p.agentPort();
        p.client.register("127.0.0.2", port, app.toString(), 3600);
        TargetSelector target = new TargetSelector("127.0.0.2", app.toString(), null);
        await("the first run", () -> finished(target) >= 1);
        p.agent.close();
        Files.writeString(app.resolve("data.txt"), "changed while the node was down\n");
        p.client.run(target); // fails: the node is down
        ExecutionInfo failed = p.client.log(target, 1).get(0);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertTrue(failed.error().contains("cannot reach agent"), failed.error());
        await("RETRYING in list", () -> TargetState.RETRYING == state());
        int rows = p.client.log(target, 0).size();

        p.startAgent(port);

        await(
                "a retry run that stores the change",
                () -> Outcome.STORED == p.client.log(target, 1).get(0).outcome());
        assertEquals(rows + 1, p.client.log(target, 0).size(), "probes write no rows; one retry run did");
        await("SCHEDULED again", () -> TargetState.SCHEDULED == state());
        TargetInfo listed = p.client.list().get(0);
        assertEquals(Outcome.STORED, listed.lastOutcome());
        assertTrue(listed.nextRunAt().isAfter(java.time.Instant.now().plusSeconds(3000)), "back on its hourly period");
    }

    @Test
    void aRefusedRunWaitsForItsPeriod() throws Exception {
        p.start();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        p.client.register("127.0.0.2", p.agentPort(), outside.toString(), 3600);
        TargetSelector target = new TargetSelector("127.0.0.2", outside.toString(), null);
        await("the first run", () -> finished(target) >= 1);
        assertEquals(Outcome.FAILED, p.client.log(target, 1).get(0).outcome());
        TargetInfo listed = p.client.list().get(0);
        assertEquals(TargetState.SCHEDULED, listed.state(), "the agent gave a reason: not retried at once");
        assertTrue(
                listed.nextRunAt().isAfter(java.time.Instant.now().plusSeconds(3000)),
                listed.nextRunAt().toString());
    }

    @Test
    void retryStateSurvivesARestart() throws Exception {
        p.start();
        int port = p.agentPort();
        p.client.register("127.0.0.2", port, app.toString(), 3600);
        TargetSelector target = new TargetSelector("127.0.0.2", app.toString(), null);
        await("the first run", () -> finished(target) >= 1);
        p.agent.close();
        p.client.run(target);
        p.stopServer();
        p.startServer();
        await("RETRYING after the restart", () -> TargetState.RETRYING == state());
        p.startAgent(port);
        await(
                "caught up",
                () -> TargetState.SCHEDULED == state()
                        && Outcome.UNCHANGED == p.client.log(target, 1).get(0).outcome());
    }

    private TargetState state() throws IOException {
        return p.client.list().get(0).state();
    }

    private long finished(TargetSelector target) throws IOException {
        return p.client.log(target, 0).stream()
                .filter(e -> e.finishedAt() != null)
                .count();
    }

    /** Polls a condition until it holds or the patience runs out; the condition, not the clock, ends the wait. */
    private static void await(String what, Callable<Boolean> check) {
        Awaitility.await(what)
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(check);
    }
}
