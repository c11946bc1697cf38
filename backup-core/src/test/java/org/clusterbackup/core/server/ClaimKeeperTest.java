package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.RunRequests;
import org.clusterbackup.core.catalog.ServerRecord;
import org.clusterbackup.core.catalog.TargetClaims;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.schedule.RunResult;
import org.clusterbackup.core.schedule.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper's round against claims held at a seam: giving targets back above the share is a database call
 * like the renewal, and may hang on a silent database just the same; the watchdog must already be armed.
 */
class ClaimKeeperTest {
    private static final Duration LEASE = Duration.ofMillis(600);

    @TempDir
    Path dir;

    @Test
    void aGiveBackHangingOnASilentDatabaseStillLetsTheWatchdogDropEveryTarget() throws Exception {
        try (Catalog catalog = Catalog.open(dir.resolve("catalog.db"), Clock.systemUTC())) {
            Set<Long> ids = IntStream.range(0, 4)
                    .mapToObj(i -> catalog.register("127.0.0.2", 7071, "/srv/app-" + i, 3600)
                            .id())
                    .collect(Collectors.toSet());
            CountDownLatch giveBackAsked = new CountDownLatch(1);
            CountDownLatch databaseBack = new CountDownLatch(1);
            CountDownLatch dropped = new CountDownLatch(1);
            AtomicReference<Set<Long>> droppedIds = new AtomicReference<>();
            TargetClaims silentOnRelease = new HeldClaims(ids) {
                @Override
                public Set<Long> release(String server, Collection<Long> targetIds) {
                    giveBackAsked.countDown();
                    Clusters.awaitLatch(databaseBack); // the database is silent until the test ends
                    return Set.copyOf(targetIds);
                }
            };
            BackupScheduler scheduler = BackupScheduler.create(
                    SchedulerConfig.defaults(),
                    (t, trigger) -> RunResult.stored(),
                    (node, port) -> true,
                    Runnable::run,
                    Clock.systemUTC(),
                    List.of());
            RunHooks hooks = new RunHooks() {
                @Override
                public void droppedUnrenewed(Set<Long> targetIds) {
                    droppedIds.set(targetIds);
                    dropped.countDown();
                }
            };
            ClaimKeeper keeper = new ClaimKeeper(
                    silentOnRelease,
                    LEASE,
                    scheduler,
                    new ScheduledRuns(catalog, null, RunHooks.NONE),
                    System::nanoTime,
                    hooks);
            Thread round = new Thread(keeper::round, "claim-round");
            try {
                round.start();
                Clusters.awaitLatch(giveBackAsked);
                // Two thirds of the lease after the renewal was sent, with the give-back still hanging.
                Clusters.awaitLatch(dropped);
                assertEquals(3, droppedIds.get().size(), "the three it kept (one was being given back)");
                ids.forEach(id -> assertEquals(Optional.empty(), scheduler.status(id)));
            } finally {
                databaseBack.countDown();
                round.join();
                keeper.abandon();
                scheduler.close();
            }
        }
    }

    /** Claims on which the server holds {@code held} with a share of one, and every other call succeeds. */
    private static class HeldClaims implements TargetClaims {
        private final Set<Long> held;

        HeldClaims(Set<Long> held) {
            this.held = held;
        }

        @Override
        public Set<Long> renew(String server, String address, Duration lease) {
            return held;
        }

        @Override
        public long share() {
            return 1;
        }

        @Override
        public Set<Long> release(String server, Collection<Long> targetIds) {
            return Set.copyOf(targetIds);
        }

        @Override
        public void heartbeat(String server, String address, Duration lease) {}

        @Override
        public void release(String server) {}

        @Override
        public List<ServerRecord> liveServers() {
            return List.of();
        }

        @Override
        public Map<Long, String> holders() {
            return Map.of();
        }

        @Override
        public void fenceRunsOf(String server) {}

        @Override
        public int failInterruptedRunsOf(String server, String reason) {
            return 0;
        }

        @Override
        public RunRequests runRequests() {
            throw new UnsupportedOperationException("no run requests in this test");
        }
    }
}
