package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetSelector;
import org.junit.jupiter.api.Test;

/** Stored archives, the transaction that records them, corruption marks and retention, on a real SQLite file. */
class ArchiveCatalogTest extends CatalogFixture {
    @Test
    void aStoredRunRecordsItsArchiveUnderTheNameThePlacerGave() throws Exception {
        long run = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        List<Long> placedAs = new ArrayList<>();
        clock.advance(Duration.ofSeconds(3));
        Execution e = catalog.finishStored(
                run,
                new NewArchive(1000, 7, "sha-a", "digest-a", "idx-a"),
                1100,
                List.of("skipped /srv/app/sock"),
                Execution.DELTA,
                (targetId, archiveId) -> {
                    placedAs.add(targetId);
                    placedAs.add(archiveId);
                    return "archives/" + targetId + "/" + archiveId + ".tgz";
                });

        assertEquals(Outcome.STORED, e.outcome());
        assertEquals(Execution.DELTA, e.transfer());
        assertEquals(7, e.files());
        assertEquals(1100, e.bytesReceived());
        assertEquals(List.of("skipped /srv/app/sock"), e.warnings());
        assertEquals(List.of(target.id(), e.archiveId()), placedAs);

        Archive a = catalog.archive(e.archiveId()).orElseThrow();
        assertEquals(
                new Archive(
                        e.archiveId(),
                        target.id(),
                        T0.plusSeconds(3),
                        1000,
                        7,
                        "sha-a",
                        "digest-a",
                        "archives/" + target.id() + "/" + e.archiveId() + ".tgz",
                        null,
                        false,
                        "idx-a"),
                a);
        assertEquals(List.of(a), catalog.archives(target.id()));
        assertEquals(List.of(a), catalog.storedArchives());
    }

    @Test
    void aPlacerThatFailsLeavesNoArchiveAndTheRunStillRunning() throws Exception {
        long run = catalog.startExecution(target, RunTrigger.SCHEDULE).id();
        IOException full = new IOException("No space left on device");
        IOException thrown = assertThrows(
                IOException.class,
                () -> catalog.finishStored(
                        run, new NewArchive(1, 1, "s", "d", "i"), 1, List.of(), Execution.FULL, (t, a) -> {
                            throw full;
                        }));
        assertSame(full, thrown, "the placer's own exception, not a wrapper");
        assertTrue(catalog.archives(target.id()).isEmpty());
        assertEquals(Outcome.RUNNING, catalog.executions(target.id(), 0).get(0).outcome());
        // The run can still end, as the runner ends it after a failed store.
        assertEquals(
                Outcome.FAILED,
                catalog.finishFailed(run, "disk full", FailureKind.OTHER, 1, List.of())
                        .outcome());
    }

    @Test
    void theNewestKeptArchiveIsTheBaseUnlessItIsMarkedCorrupt() throws Exception {
        assertEquals(Optional.empty(), catalog.newestSoundArchive(target.id()));
        Archive older = store("a");
        Archive newer = store("b");
        assertEquals(Optional.of(newer), catalog.newestSoundArchive(target.id()));

        catalog.markCorrupt(newer.id(), true);
        assertTrue(catalog.archive(newer.id()).orElseThrow().corrupt());
        assertEquals(
                Optional.empty(),
                catalog.newestSoundArchive(target.id()),
                "a damaged newest archive is not replaced by an older one as the base");

        catalog.markCorrupt(newer.id(), false);
        assertEquals(
                newer.id(),
                catalog.newestSoundArchive(target.id()).orElseThrow().id());
        assertFalse(catalog.archive(older.id()).orElseThrow().corrupt());
    }

    @Test
    void retentionPrunesAllButTheNewestAndKeepsTheRows() throws Exception {
        Archive a1 = store("1");
        Archive a2 = store("2");
        Archive a3 = store("3");
        Archive a4 = store("4");
        Target other = catalog.register("127.0.0.3", 7071, "/srv/db", 60);
        Archive b1 = store(other, "b1");
        clock.advance(Duration.ofMinutes(1));

        List<Archive> pruned = catalog.pruneBeyond(target.id(), 2);

        assertEquals(List.of(a2.id(), a1.id()), pruned.stream().map(Archive::id).toList());
        assertEquals(
                List.of(a4.id(), a3.id(), a2.id(), a1.id()),
                catalog.archives(target.id()).stream().map(Archive::id).toList(),
                "pruned rows stay");
        Archive gone = catalog.archive(a1.id()).orElseThrow();
        assertEquals(clock.instant(), gone.prunedAt());
        assertFalse(gone.stored());
        assertEquals(
                List.of(a3.id(), a4.id(), b1.id()),
                catalog.storedArchives().stream().map(Archive::id).toList(),
                "another target's archive is kept");
        assertEquals(
                a4.id(), catalog.newestSoundArchive(target.id()).orElseThrow().id());
        assertTrue(catalog.pruneBeyond(target.id(), 2).isEmpty(), "pruning again prunes nothing");
    }

    @Test
    void retentionCountsOnlyKeptArchives() throws Exception {
        store("1");
        Archive a2 = store("2");
        catalog.pruneBeyond(target.id(), 1);
        Archive a3 = store("3");

        assertEquals(
                List.of(a2.id()),
                catalog.pruneBeyond(target.id(), 1).stream().map(Archive::id).toList());
        assertEquals(
                List.of(a3.id()),
                catalog.storedArchives().stream().map(Archive::id).toList());
    }

    @Test
    void workInOneTransactionIsRecordedWhole() {
        Execution e = catalog.inTransaction(c -> {
            Target t = c.register("127.0.0.3", 7071, "/srv/db", 60);
            return c.startExecution(t, RunTrigger.MANUAL);
        });
        assertEquals(e, catalog.executions(e.targetId(), 0).get(0));
    }

    @Test
    void workInOneTransactionThatFailsRecordsNothing() {
        IOException failure = new IOException("the file could not be moved");
        IOException thrown = assertThrows(
                IOException.class,
                () -> catalog.inTransaction(c -> {
                    Target t = c.register("127.0.0.3", 7071, "/srv/db", 60);
                    c.startExecution(t, RunTrigger.MANUAL);
                    c.pruneBeyond(target.id(), 0);
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals(List.of(target), catalog.activeTargets(), "the registration was rolled back");
        assertTrue(catalog.executions(null, 0).isEmpty(), "the execution was rolled back");
        assertThrows(
                org.clusterbackup.core.model.RefusedException.class,
                () -> catalog.resolve(new TargetSelector("127.0.0.3", "/srv/db", null)));
    }

    @Test
    void anArchiveThatDoesNotExistIsEmpty() {
        assertEquals(Optional.empty(), catalog.archive(99));
        assertNull(catalog.newestSoundArchive(99).orElse(null));
    }

    private Archive store(String name) throws IOException {
        return store(target, name);
    }

    private Archive store(Target t, String name) throws IOException {
        long run = catalog.startExecution(t, RunTrigger.SCHEDULE).id();
        Execution e = catalog.finishStored(
                run,
                new NewArchive(10, 1, "sha-" + name, "digest-" + name, "idx-" + name),
                10,
                List.of(),
                Execution.FULL,
                (targetId, archiveId) -> archiveId + ".tgz");
        return catalog.archive(e.archiveId()).orElseThrow();
    }
}
