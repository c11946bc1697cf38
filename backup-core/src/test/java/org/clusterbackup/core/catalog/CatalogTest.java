package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.model.TargetSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry of targets, and a catalog reopened, on SQLite here and on PostgreSQL in {@link PostgresCatalogTest}. */
class CatalogTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07.089Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** The catalog under test, on the same store each call: a SQLite file here; {@link PostgresCatalogTest} overrides it. */
    Catalog open() {
        return Catalog.open(dir.resolve("catalog.db"), CLOCK);
    }

    @Test
    void registerListUnregisterAndReRegisterKeepsTheId() {
        try (Catalog c = open()) {
            Target t = c.register("127.0.0.2", 7071, "/srv/app", 300);
            assertEquals(Instant.parse("2026-03-04T05:06:07.089Z"), t.registeredAt());
            assertEquals(List.of(t), c.activeTargets());

            Target gone = c.unregister(new TargetSelector("127.0.0.2", "/srv/app", null));
            assertEquals(t.id(), gone.id());
            assertFalse(gone.active());
            assertTrue(c.activeTargets().isEmpty());

            Target back = c.register("127.0.0.2", 7071, "/srv/app", 60);
            assertEquals(t.id(), back.id());
            assertEquals(60, back.everySeconds());
            assertEquals(List.of(back), c.activeTargets());
        }
    }

    @Test
    void activeTargetsAmongIdsReadThoseAloneInIdOrderAcrossChunks() {
        try (Catalog c = open()) {
            List<NewTarget> batch = new ArrayList<>();
            for (int i = 0; i < IdLists.CHUNK + 20; i++) {
                batch.add(new NewTarget("127.0.0.2", 7071, "/srv/app-" + i, 60));
            }
            List<Target> all = c.registerAll(batch).registered();
            Target gone = c.unregister(new TargetSelector("127.0.0.2", "/srv/app-3", 7071));
            Set<Long> asked = new HashSet<>();
            for (int i = 0; i < all.size(); i += 3) {
                asked.add(all.get(i).id()); // /srv/app-3 among them
            }
            asked.add(all.get(all.size() - 1).id());
            asked.add(Long.MAX_VALUE);

            List<Target> expected = c.activeTargets().stream()
                    .filter(t -> asked.contains(t.id()))
                    .toList();
            assertEquals(expected, c.activeTargets(asked));
            assertFalse(
                    c.activeTargets(asked).stream().anyMatch(t -> t.id() == gone.id()), "inactive ones are left out");
            assertEquals(List.of(), c.activeTargets(Set.of()));
        }
    }

    @Test
    void aDuplicateActiveTargetIsRefused() {
        try (Catalog c = open()) {
            c.register("127.0.0.2", 7071, "/srv/app", 300);
            RefusedException e =
                    assertThrows(RefusedException.class, () -> c.register("127.0.0.2", 7071, "/srv/app", 60));
            assertEquals(ErrorCode.DUPLICATE, e.code());
            assertTrue(e.getMessage().contains("127.0.0.2:7071 /srv/app"), e.getMessage());
            assertEquals(300, c.activeTargets().get(0).everySeconds(), "the refused register changed nothing");
        }
    }

    @Test
    void targetsDifferingInOnePartAreDistinct() {
        try (Catalog c = open()) {
            long a = c.register("127.0.0.2", 7071, "/srv/app", 300).id();
            long b = c.register("127.0.0.2", 7072, "/srv/app", 300).id();
            long d = c.register("127.0.0.3", 7071, "/srv/app", 300).id();
            long e = c.register("127.0.0.2", 7071, "/srv/other", 300).id();
            assertEquals(4, List.of(a, b, d, e).stream().distinct().count());
        }
    }

    @Test
    void aSelectorWithoutPortMatchingSeveralTargetsIsAmbiguousAndListsThePorts() {
        try (Catalog c = open()) {
            c.register("127.0.0.2", 7072, "/srv/app", 300);
            c.register("127.0.0.2", 7071, "/srv/app", 300);
            RefusedException e = assertThrows(
                    RefusedException.class, () -> c.resolve(new TargetSelector("127.0.0.2", "/srv/app", null)));
            assertEquals(ErrorCode.AMBIGUOUS, e.code());
            assertTrue(e.getMessage().contains("7071, 7072"), e.getMessage());
            assertEquals(
                    7072,
                    c.resolve(new TargetSelector("127.0.0.2", "/srv/app", 7072)).port());
        }
    }

    @Test
    void unknownAndInactiveTargetsCannotBeUnregistered() {
        try (Catalog c = open()) {
            RefusedException unknown = assertThrows(
                    RefusedException.class, () -> c.unregister(new TargetSelector("127.0.0.9", "/x", null)));
            assertEquals(ErrorCode.NOT_FOUND, unknown.code());
            c.register("127.0.0.2", 7071, "/srv/app", 300);
            c.unregister(new TargetSelector("127.0.0.2", "/srv/app", 7071));
            RefusedException twice = assertThrows(
                    RefusedException.class, () -> c.unregister(new TargetSelector("127.0.0.2", "/srv/app", 7071)));
            assertEquals(ErrorCode.NOT_FOUND, twice.code());
            assertTrue(twice.getMessage().contains("not registered"), twice.getMessage());
        }
    }

    @Test
    void reopeningKeepsTheData() {
        Target t;
        try (Catalog c = open()) {
            t = c.register("node-a.example", 7071, "/srv/app", 120);
        }
        try (Catalog c = open()) {
            assertEquals(List.of(t), c.activeTargets());
            assertEquals(t, c.target(t.id()).orElseThrow());
        }
    }

    @Test
    void idsAreNeverReusedAfterTheHighestTargetIsUnregistered() {
        try (Catalog c = open()) {
            long first = c.register("127.0.0.2", 7071, "/a", 60).id();
            c.unregister(new TargetSelector("127.0.0.2", "/a", null));
            long second = c.register("127.0.0.2", 7071, "/b", 60).id();
            assertTrue(second > first);
        }
    }

    /** The ids of the targets changed after {@code since}, in cursor order. */
    private static List<Long> changedAfter(Catalog c, long since) {
        return c.changedTargets(TargetChange.Key.after(since), c.targetChangeSequence(), 100).stream()
                .map(ch -> ch.target().id())
                .toList();
    }

    @Test
    void everyChangeThatListShowsMovesTheTargetPastTheChangeCursor() {
        try (Catalog c = open()) {
            Target a = c.register("127.0.0.2", 7071, "/a", 60);
            Target b = c.register("127.0.0.2", 7071, "/b", 60);
            long registered = c.targetChangeSequence();
            assertEquals(List.of(a.id(), b.id()), changedAfter(c, 0));
            assertEquals(List.of(), changedAfter(c, registered), "nothing changed since");

            Execution run = c.startExecution(a, org.clusterbackup.core.model.RunTrigger.MANUAL);
            long started = c.targetChangeSequence();
            assertEquals(List.of(a.id()), changedAfter(c, registered), "a run starting");
            c.finishFailed(run.id(), "no route", org.clusterbackup.core.model.FailureKind.UNREACHABLE, 0, List.of());
            assertEquals(List.of(a.id()), changedAfter(c, started), "a run ending");

            long ended = c.targetChangeSequence();
            c.unregister(new TargetSelector("127.0.0.2", "/b", 7071));
            List<TargetChange> gone = c.changedTargets(TargetChange.Key.after(ended), c.targetChangeSequence(), 100);
            assertEquals(
                    List.of(b.id()), gone.stream().map(ch -> ch.target().id()).toList(), "an unregistration");
            assertFalse(gone.get(0).target().active(), "reported as no longer registered");

            long unregistered = c.targetChangeSequence();
            BulkRegistration batch = c.registerAll(
                    List.of(new NewTarget("127.0.0.2", 7071, "/b", 60), new NewTarget("127.0.0.3", 7071, "/c", 60)));
            assertEquals(
                    List.of(b.id(), batch.registered().get(0).id()),
                    changedAfter(c, unregistered),
                    "a batch: the reactivated one and the new one");
        }
    }

    @Test
    void changesPageByStampAndIdWithoutSkippingOrRepeatingARow() {
        try (Catalog c = open()) {
            List<Long> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 7; i++) {
                ids.add(c.register("127.0.0.2", 7071, "/t" + i, 60).id());
            }
            long upTo = c.targetChangeSequence();
            c.register("127.0.0.2", 7071, "/later", 60); // stamped after upTo: not in this reading
            List<Long> read = new java.util.ArrayList<>();
            TargetChange.Key after = TargetChange.Key.after(0);
            List<TargetChange> page;
            do {
                page = c.changedTargets(after, upTo, 3);
                page.forEach(ch -> read.add(ch.target().id()));
                if (!page.isEmpty()) {
                    after = page.get(page.size() - 1).key();
                }
            } while (page.size() == 3);
            assertEquals(ids, read);
        }
    }
}
