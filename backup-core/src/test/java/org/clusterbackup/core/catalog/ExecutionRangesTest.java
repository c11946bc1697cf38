package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The log read back from execution ranges is the log of one row per run: random sequences of runs written
 * through the catalog API — several targets interleaved, every outcome, retries and manual runs, warnings,
 * a clock that sometimes steps back, crashes that leave runs RUNNING — compared with a reference kept in
 * memory from what each call returned, through every kind of query, paging, the schedule's last runs and
 * {@code list}'s summaries.
 */
class ExecutionRangesTest extends CatalogFixture {
    /** What each execution is, by id: the last value the catalog returned for it. */
    private final TreeMap<Long, Execution> reference = new TreeMap<>(Comparator.reverseOrder());

    private final List<Target> targets = new ArrayList<>();
    private final Map<Long, Archive> current = new HashMap<>();
    private final Map<Long, Long> running = new HashMap<>();
    /** Runs left RUNNING when another run of their target started: only start-up closes them. */
    private final List<Long> abandoned = new ArrayList<>();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomRunsReadBackAsOneRowPerRun(long seed) throws Exception {
        Random random = new Random(seed);
        targets.add(target);
        targets.add(catalog.register("127.0.0.3", 7071, "/srv/db", 60));
        targets.add(catalog.register("127.0.0.4", 7072, "/srv/x", 60));
        for (int step = 0; step < 700; step++) {
            step(random);
            if (step % 175 == 174) {
                assertLogMatches(random);
            }
        }
        assertLogMatches(random);
    }

    @Test
    void aLongQuietStretchFillsRangesAndContinuesInTheNext() throws Exception {
        targets.add(target);
        Random random = new Random(7);
        int runs = ExecutionRanges.MAX_RUNS * 2 + 10;
        start(target, RunTrigger.SCHEDULE);
        finishStored(target);
        for (int i = 0; i < runs; i++) {
            clock.advance(Duration.ofMillis(60_000 + random.nextInt(12)));
            start(target, RunTrigger.SCHEDULE);
            clock.advance(Duration.ofMillis(20 + random.nextInt(200)));
            finishUnchanged(target, List.of());
        }
        assertLogMatches(random);
        assertEquals(runs + 1, catalog.executions(target.id(), 0).size());
    }

    /**
     * A MANUAL run that finishes after a newer run of its target went into the open range gets a sealed range
     * of its own: the open range stays the newest, the next run joins it, and the list's last success is the
     * latest end of any of them.
     */
    @Test
    void aRunFinishingAfterANewerOneOfItsTargetIsARangeOfItsOwnAndTheLatestSuccess() throws Exception {
        targets.add(target);
        start(target, RunTrigger.SCHEDULE);
        finishStored(target);
        long manual = start(target, RunTrigger.MANUAL);
        running.remove(target.id());
        clock.advance(Duration.ofSeconds(1));
        start(target, RunTrigger.SCHEDULE);
        clock.advance(Duration.ofMillis(50));
        finishUnchanged(target, List.of());
        clock.advance(Duration.ofMinutes(5));
        running.put(target.id(), manual);
        finishUnchanged(target, List.of());
        assertEquals(clock.instant(), catalog.runSummaries().get(target.id()).lastSuccessAt());
        assertLogMatches(new Random(3));
        clock.advance(Duration.ofMinutes(1));
        long next = start(target, RunTrigger.SCHEDULE);
        clock.advance(Duration.ofMillis(40));
        finishUnchanged(target, List.of());
        assertEquals(clock.instant(), catalog.runSummaries().get(target.id()).lastSuccessAt());
        assertEquals(next, catalog.lastExecutions().get(target.id()).id());
        assertLogMatches(new Random(4));
    }

    @Test
    void aRunKeptInARangeCannotBeFinishedAgain() throws Exception {
        targets.add(target);
        start(target, RunTrigger.SCHEDULE);
        finishStored(target);
        long id = start(target, RunTrigger.SCHEDULE);
        finishUnchanged(target, List.of());
        CatalogException e = assertThrows(
                CatalogException.class, () -> catalog.finishFailed(id, "again", FailureKind.OTHER, 0, List.of()));
        assertTrue(e.getMessage().contains("cannot be finished twice"), e.getMessage());
        CatalogException unknown = assertThrows(
                CatalogException.class, () -> catalog.finishFailed(id + 100, "never", FailureKind.OTHER, 0, List.of()));
        assertTrue(unknown.getMessage().contains("no execution " + (id + 100)), unknown.getMessage());
        assertLogMatches(new Random(1));
    }

    private void step(Random random) throws Exception {
        int clockMove = random.nextInt(100);
        if (clockMove < 3) {
            clock.advance(Duration.ofMillis(-random.nextInt(5_000))); // a clock stepped back
        } else if (clockMove < 90) {
            clock.advance(Duration.ofMillis(random.nextInt(clockMove < 20 ? 3 : 90_000)));
        }
        Target t = targets.get(random.nextInt(targets.size()));
        int action = random.nextInt(100);
        if (action < 2) {
            int closed = catalog.failInterruptedRuns("interrupted by server restart");
            abandoned.addAll(running.values());
            assertEquals(abandoned.size(), closed);
            for (long id : abandoned) {
                Execution e = reference.get(id);
                reference.put(
                        id,
                        new Execution(
                                id,
                                e.targetId(),
                                e.node(),
                                e.port(),
                                e.path(),
                                e.trigger(),
                                e.startedAt(),
                                clock.instant(),
                                Outcome.FAILED,
                                0,
                                null,
                                null,
                                "interrupted by server restart",
                                FailureKind.OTHER,
                                List.of(),
                                null));
            }
            running.clear();
            abandoned.clear();
        } else if (!running.containsKey(t.id())) {
            start(t, action < 10 ? RunTrigger.MANUAL : action < 20 ? RunTrigger.RETRY : RunTrigger.SCHEDULE);
        } else if (action < 4) {
            abandoned.add(running.remove(t.id())); // a run the server lost track of: another one starts beside it
            start(t, RunTrigger.SCHEDULE);
        } else if (action < 14 || !current.containsKey(t.id())) {
            finishStored(t);
        } else if (action < 26) {
            Execution e = catalog.finishFailed(
                    running.remove(t.id()),
                    "down " + action,
                    action < 20 ? FailureKind.UNREACHABLE : FailureKind.REFUSED,
                    random.nextInt(300),
                    List.of());
            reference.put(e.id(), e);
        } else {
            finishUnchanged(t, action < 30 ? List.of("file vanished: a" + (action % 2)) : List.of());
        }
    }

    private long start(Target t, RunTrigger trigger) {
        Execution e = catalog.startExecution(t, trigger);
        reference.put(e.id(), e);
        running.put(t.id(), e.id());
        return e.id();
    }

    private void finishStored(Target t) throws Exception {
        Execution e = catalog.finishStored(
                running.remove(t.id()),
                new NewArchive(100, 3 + reference.size() % 4, "sha", "digest", "idx"),
                5000,
                List.of(),
                Execution.FULL,
                (target, archive) -> archive + ".tgz");
        reference.put(e.id(), e);
        current.put(t.id(), catalog.archive(e.archiveId()).orElseThrow());
    }

    private void finishUnchanged(Target t, List<String> warnings) {
        long bytes = reference.size() % 7 == 0 ? 140 : 123;
        Execution e = catalog.finishUnchanged(running.remove(t.id()), current.get(t.id()), bytes, warnings);
        reference.put(e.id(), e);
    }

    private void assertLogMatches(Random random) {
        List<Execution> all = new ArrayList<>(reference.values());
        assertEquals(all, catalog.executions(ExecutionQuery.newest(null, 0)), "the whole log");
        assertEquals(all, paged(ExecutionQuery.newest(null, 1 + random.nextInt(7))), "the whole log, paged");
        for (Target t : targets) {
            List<Execution> mine =
                    all.stream().filter(e -> e.targetId() == t.id()).toList();
            assertEquals(mine, catalog.executions(ExecutionQuery.newest(t.id(), 0)), "target " + t.id());
            assertEquals(
                    mine, paged(ExecutionQuery.newest(t.id(), 1 + random.nextInt(5))), "target " + t.id() + " paged");
        }
        for (int i = 0; i < 40; i++) {
            ExecutionQuery q = randomQuery(random, all);
            assertEquals(expected(all, q), catalog.executions(q), q.toString());
        }
        assertLastRunsMatch(all);
    }

    private List<Execution> paged(ExecutionQuery first) {
        List<Execution> out = new ArrayList<>();
        ExecutionQuery q = first;
        while (true) {
            List<Execution> page = catalog.executions(q);
            out.addAll(page);
            if (page.size() < q.limit()) {
                return out;
            }
            q = q.after(page.get(page.size() - 1).id());
        }
    }

    private ExecutionQuery randomQuery(Random random, List<Execution> all) {
        Long targetId = random.nextBoolean()
                ? null
                : targets.get(random.nextInt(targets.size())).id();
        Instant since = null;
        Instant until = null;
        if (!all.isEmpty() && random.nextBoolean()) {
            since = all.get(random.nextInt(all.size())).startedAt();
        }
        if (!all.isEmpty() && random.nextBoolean()) {
            until = all.get(random.nextInt(all.size())).startedAt();
            if (since != null && until.isBefore(since)) {
                Instant swap = since;
                since = until;
                until = swap;
            }
        }
        Outcome outcome = random.nextInt(3) == 0 ? Outcome.values()[random.nextInt(Outcome.values().length)] : null;
        Long beforeId = !all.isEmpty() && random.nextBoolean()
                ? all.get(random.nextInt(all.size())).id()
                : null;
        return new ExecutionQuery(
                targetId, since, until, outcome, beforeId, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30));
    }

    private static List<Execution> expected(List<Execution> all, ExecutionQuery q) {
        return all.stream()
                .filter(e -> q.targetId() == null || e.targetId() == q.targetId())
                .filter(e -> q.since() == null || !e.startedAt().isBefore(q.since()))
                .filter(e -> q.until() == null || e.startedAt().isBefore(q.until()))
                .filter(e -> q.outcome() == null || e.outcome() == q.outcome())
                .filter(e -> q.beforeId() == null || e.id() < q.beforeId())
                .limit(q.limit() == 0 ? Long.MAX_VALUE : q.limit())
                .toList();
    }

    private void assertLastRunsMatch(List<Execution> all) {
        Map<Long, Execution> last = new HashMap<>();
        Map<Long, RunSummary> summaries = new HashMap<>();
        for (Target t : targets) {
            List<Execution> mine =
                    all.stream().filter(e -> e.targetId() == t.id()).toList();
            if (!mine.isEmpty()) {
                last.put(t.id(), mine.get(0));
            }
            Execution finished = mine.stream()
                    .filter(e -> e.outcome() != Outcome.RUNNING)
                    .findFirst()
                    .orElse(null);
            Instant success = mine.stream()
                    .filter(e -> e.outcome() == Outcome.STORED || e.outcome() == Outcome.UNCHANGED)
                    .map(Execution::finishedAt)
                    .max(Comparator.naturalOrder())
                    .orElse(null);
            summaries.put(
                    t.id(),
                    new RunSummary(
                            finished == null ? null : finished.outcome(),
                            success,
                            finished == null ? null : finished.failureKind()));
        }
        assertEquals(last, catalog.lastExecutions(), "each target's newest run");
        assertEquals(summaries, catalog.runSummaries(), "list's last outcome and last success");
    }
}
