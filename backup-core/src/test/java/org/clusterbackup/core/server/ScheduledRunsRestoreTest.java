package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.schedule.RestoredTarget;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that gains targets (a registration, a claim, a take-over's share) reads only those from the
 * catalog, in one pass whatever their number, and gets for them exactly what a read of every target gives:
 * where each schedule stands, from its last run.
 */
class ScheduledRunsRestoreTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Catalog catalog;
    private ScheduledRuns runs;
    /** The catalog methods {@link #runs} called, by name, in order. */
    private final List<String> calls = new ArrayList<>();

    private final List<Target> targets = new ArrayList<>();

    @BeforeEach
    void open() {
        catalog = Catalog.open(dir.resolve("catalog.db"), clock);
        runs = new ScheduledRuns(recording(catalog), null, RunHooks.NONE);
        for (int i = 0; i < 100; i++) {
            Target t = catalog.register("127.0.0.2", 7071, "/srv/app" + i, 60);
            targets.add(t);
            clock.advance(Duration.ofSeconds(1));
            if (i % 3 == 1) {
                long id = catalog.startExecution(t, RunTrigger.SCHEDULE).id();
                catalog.finishFailed(id, "refused", FailureKind.REFUSED, 0, List.of());
            } else if (i % 3 == 2) {
                catalog.startExecution(t, RunTrigger.SCHEDULE); // still running: resumes as never run
            }
        }
        catalog.unregister(new TargetSelector("127.0.0.2", "/srv/app4", 7071));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    /** {@code catalog}, noting the name of every method called on it. */
    private Catalog recording(Catalog real) {
        return (Catalog) Proxy.newProxyInstance(
                Catalog.class.getClassLoader(), new Class<?>[] {Catalog.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + (args == null ? "()" : "(" + args.length + ")"));
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aFewTargetsAreRestoredAsAWholeReadWouldRestoreThem() {
        Set<Long> few = Set.of(
                targets.get(0).id(),
                targets.get(1).id(),
                targets.get(2).id(),
                targets.get(4).id());
        assertEquals(everyRestored(few), new HashSet<>(runs.restore(few)), "the unregistered one is left out");
    }

    @Test
    void manyTargetsAreRestoredWithTheSameResult() {
        Set<Long> many = new HashSet<>();
        LongStream.range(0, 90).forEach(i -> many.add(targets.get((int) i).id()));
        assertEquals(everyRestored(many), new HashSet<>(runs.restore(many)));
    }

    @Test
    void gainedTargetsAreReadForThemAloneInOnePassWhateverTheirNumber() {
        for (int n : new int[] {1, 4, 90}) {
            Set<Long> gained = new HashSet<>();
            LongStream.range(0, n).forEach(i -> gained.add(targets.get((int) i).id()));
            calls.clear();
            runs.restore(gained);
            assertEquals(
                    Set.of("lastExecutions(1)", "activeTargets(1)"),
                    new HashSet<>(calls),
                    n + " gained targets: never the whole catalog (no-argument reads), never one read per target");
            assertEquals(2, calls.size(), calls.toString());
        }
    }

    private Set<RestoredTarget> everyRestored(Set<Long> ids) {
        Set<RestoredTarget> out = new HashSet<>();
        for (RestoredTarget r : new ScheduledRuns(catalog, null, RunHooks.NONE).restore()) {
            if (ids.contains(r.target().id())) {
                out.add(r);
            }
        }
        return out;
    }
}
