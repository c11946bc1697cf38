package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetSelector;
import org.junit.jupiter.api.Test;

/** The execution log against a real SQLite file: what each way of ending a run records. */
class ExecutionLogTest extends CatalogFixture {
    @Test
    void aStartedRunIsLoggedRunningWithItsTargetAndTrigger() {
        clock.advance(Duration.ofSeconds(5));
        Execution e = catalog.startExecution(target, RunTrigger.MANUAL);
        assertEquals(Outcome.RUNNING, e.outcome());
        assertEquals(RunTrigger.MANUAL, e.trigger());
        assertEquals(T0.plusSeconds(5), e.startedAt());
        assertNull(e.finishedAt());
        assertEquals(
                List.of(target.id(), "127.0.0.2", 7071, "/srv/app"),
                List.of(e.targetId(), e.node(), e.port(), e.path()));
        assertEquals(List.of(e), catalog.executions(target.id(), 0));
    }

    @Test
    void aFailedRunKeepsItsReasonKindBytesAndWarnings() {
        long id = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        clock.advance(Duration.ofSeconds(7));
        Execution e = catalog.finishFailed(id, "connection refused", FailureKind.UNREACHABLE, 42, List.of("w1", "w2"));
        assertEquals(Outcome.FAILED, e.outcome());
        assertEquals("connection refused", e.error());
        assertEquals(FailureKind.UNREACHABLE, e.failureKind());
        assertEquals(42, e.bytesReceived());
        assertEquals(List.of("w1", "w2"), e.warnings());
        assertEquals(T0.plusSeconds(7), e.finishedAt());
        assertNull(e.archiveId());
        assertNull(e.transfer());
        assertEquals(e, catalog.executions(null, 0).get(0), "the row read back is the one returned");
    }

    @Test
    void aRunIsFinishedOnlyOnce() {
        long id = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        Execution first = catalog.finishFailed(id, "refused", FailureKind.REFUSED, 0, List.of());
        CatalogException e = assertThrows(
                CatalogException.class, () -> catalog.finishFailed(id, "again", FailureKind.OTHER, 1, List.of()));
        assertTrue(e.getMessage().contains("cannot be finished twice"), e.getMessage());
        assertEquals(List.of(first), catalog.executions(target.id(), 0), "the second finish changed nothing");
    }

    @Test
    void anUnchangedRunNamesTheArchiveItConfirmed() throws Exception {
        Execution stored = stored(target);
        Archive archive = catalog.archive(stored.archiveId()).orElseThrow();

        long confirming = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        Execution e = catalog.finishUnchanged(confirming, archive, 33, List.of("note"));
        assertEquals(Outcome.UNCHANGED, e.outcome());
        assertEquals(archive.id(), e.archiveId());
        assertEquals(3, e.files());
        assertEquals(33, e.bytesReceived());
        assertEquals(List.of("note"), e.warnings());
        assertNull(e.transfer(), "only a stored run says how its archive came");
    }

    @Test
    void startUpClosesOnlyTheRunsACrashLeftRunning() {
        long done = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        catalog.finishFailed(done, "refused", FailureKind.REFUSED, 0, List.of());
        long left = catalog.startExecution(target, RunTrigger.MANUAL).id();

        assertEquals(1, catalog.failInterruptedRuns("the server stopped during the run"));

        Execution closed = catalog.executions(target.id(), 1).get(0);
        assertEquals(left, closed.id());
        assertEquals(Outcome.FAILED, closed.outcome());
        assertEquals(FailureKind.OTHER, closed.failureKind());
        assertEquals("the server stopped during the run", closed.error());
        assertEquals("refused", catalog.executions(target.id(), 0).get(1).error(), "a finished run stays as it was");
        assertEquals(0, catalog.failInterruptedRuns("again"));
    }

    @Test
    void executionsAreNewestFirstPerTargetOrForAllWithALimit() {
        Target other = catalog.register("127.0.0.3", 7071, "/srv/db", 60);
        long a1 = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        long b1 = catalog.startExecution(other, RunTrigger.SCHEDULE).id();
        long a2 = catalog.startExecution(target, RunTrigger.MANUAL).id();

        assertEquals(List.of(a2, a1), ids(catalog.executions(target.id(), 0)));
        assertEquals(List.of(a2, b1, a1), ids(catalog.executions(null, 0)));
        assertEquals(List.of(a2, b1), ids(catalog.executions(null, 2)));
        assertEquals(List.of(b1), ids(catalog.executions(other.id(), 5)));
    }

    @Test
    void lastExecutionsGiveEachTargetsNewestRunRunningOrNot() {
        Target other = catalog.register("127.0.0.3", 7071, "/srv/db", 60);
        Target never = catalog.register("127.0.0.4", 7071, "/srv/x", 60);
        long a1 = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        catalog.finishFailed(a1, "down", FailureKind.UNREACHABLE, 0, List.of());
        long a2 = catalog.startExecution(target, RunTrigger.RETRY).id();
        long b1 = catalog.startExecution(other, RunTrigger.SCHEDULE).id();
        catalog.finishFailed(b1, "refused", FailureKind.REFUSED, 0, List.of());

        Map<Long, Execution> last = catalog.lastExecutions();
        assertEquals(a2, last.get(target.id()).id());
        assertEquals(Outcome.RUNNING, last.get(target.id()).outcome());
        assertEquals(b1, last.get(other.id()).id());
        assertTrue(!last.containsKey(never.id()), "a target that never ran has no last execution");
    }

    @Test
    void lastExecutionsOfSomeTargetsGiveWhatTheWholeReadGivesForThemAcrossChunks() throws Exception {
        List<NewTarget> batch = new ArrayList<>();
        for (int i = 0; i < IdLists.CHUNK + 20; i++) {
            batch.add(new NewTarget("127.0.0.3", 7071, "/srv/many-" + i, 60));
        }
        List<Target> many = catalog.registerAll(batch).registered();
        Target ranged = many.get(IdLists.CHUNK + 10); // its newest run is UNCHANGED: kept in a range, not a row
        Execution stored = stored(ranged);
        Archive archive = catalog.archive(stored.archiveId()).orElseThrow();
        catalog.finishUnchanged(
                catalog.startExecution(ranged, RunTrigger.SCHEDULE).id(), archive, 1, List.of());
        catalog.finishUnchanged(
                catalog.startExecution(ranged, RunTrigger.SCHEDULE).id(), archive, 1, List.of());
        for (int i = 0; i < many.size(); i += 7) {
            long id = catalog.startExecution(many.get(i), RunTrigger.SCHEDULE).id();
            if (i % 2 == 0) {
                catalog.finishFailed(id, "down", FailureKind.UNREACHABLE, 0, List.of());
            }
        }
        catalog.startExecution(target, RunTrigger.MANUAL);

        Set<Long> asked = new HashSet<>();
        for (int i = 1; i < many.size(); i += 2) {
            asked.add(many.get(i).id());
        }
        asked.add(ranged.id());
        asked.add(Long.MAX_VALUE); // no such target
        Map<Long, Execution> expected = new HashMap<>(catalog.lastExecutions());
        expected.keySet().retainAll(asked);

        Map<Long, Execution> last = catalog.lastExecutions(asked);
        assertEquals(expected, last);
        assertEquals(Outcome.UNCHANGED, last.get(ranged.id()).outcome());
        assertTrue(!last.containsKey(target.id()), "a target not asked for is not read");
        assertEquals(Map.of(), catalog.lastExecutions(Set.of()));
    }

    @Test
    void runSummariesSkipTheRunInProgressAndRememberTheLastSuccess() throws Exception {
        long stored = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        clock.advance(Duration.ofSeconds(10));
        catalog.finishStored(
                stored, new NewArchive(1, 1, "s", "d", "i"), 1, List.of(), Execution.FULL, (t, a) -> a + ".tgz");
        clock.advance(Duration.ofSeconds(10));
        long failed = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        catalog.finishFailed(failed, "down", FailureKind.UNREACHABLE, 0, List.of());
        catalog.startExecution(target, RunTrigger.RETRY);

        RunSummary summary = catalog.runSummaries().get(target.id());
        assertEquals(Outcome.FAILED, summary.lastOutcome());
        assertEquals(T0.plusSeconds(10), summary.lastSuccessAt());
    }

    @Test
    void runSummariesCoverActiveTargetsOnlyWithNullsBeforeAnyRun() {
        Target gone = catalog.register("127.0.0.3", 7071, "/srv/db", 60);
        catalog.unregister(new TargetSelector("127.0.0.3", "/srv/db", null));

        Map<Long, RunSummary> summaries = catalog.runSummaries();
        assertEquals(new RunSummary(null, null), summaries.get(target.id()));
        assertTrue(!summaries.containsKey(gone.id()), "an unregistered target is not listed");
    }

    private static List<Long> ids(List<Execution> executions) {
        return executions.stream().map(Execution::id).toList();
    }

    @Test
    void aQueryFiltersByTargetTimeAndOutcomeInTheCatalogAndPagesByCursor() {
        Target other = catalog.register("127.0.0.3", 7071, "/srv/db", 60);
        long[] ids = new long[6];
        for (int i = 0; i < ids.length; i++) {
            clock.advance(Duration.ofMinutes(1));
            Target t = i % 2 == 0 ? target : other;
            ids[i] = catalog.startExecution(t, RunTrigger.SCHEDULE).id();
            if (i % 3 == 0) {
                catalog.finishFailed(ids[i], "refused", FailureKind.REFUSED, 0, List.of());
            }
        }
        assertEquals(List.of(ids[4], ids[2], ids[0]), idsOf(ExecutionQuery.newest(target.id(), 0)));
        assertEquals(List.of(ids[3], ids[0]), idsOf(new ExecutionQuery(null, null, null, Outcome.FAILED, null, 0)));
        assertEquals(
                List.of(ids[3], ids[2]),
                idsOf(new ExecutionQuery(null, T0.plusSeconds(180), T0.plusSeconds(300), null, null, 0)),
                "since is inclusive, until exclusive");
        ExecutionQuery page = ExecutionQuery.newest(null, 4);
        assertEquals(List.of(ids[5], ids[4], ids[3], ids[2]), idsOf(page));
        assertEquals(List.of(ids[1], ids[0]), idsOf(page.after(ids[2])), "the next page starts below the cursor");
        assertThrows(
                IllegalArgumentException.class, () -> new ExecutionQuery(null, T0.plusSeconds(1), T0, null, null, 0));
    }

    private List<Long> idsOf(ExecutionQuery query) {
        return catalog.executions(query).stream().map(Execution::id).toList();
    }

    /** A run of {@code t} that stored an archive of 3 files. */
    private Execution stored(Target t) throws Exception {
        return catalog.finishStored(
                catalog.startExecution(t, RunTrigger.SCHEDULE).id(),
                new NewArchive(100, 3, "sha", "digest", "idx"),
                120,
                List.of(),
                Execution.FULL,
                (tid, a) -> tid + "/" + a + ".tgz");
    }
}
