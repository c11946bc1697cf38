package org.clusterbackup.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Catalogs;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.PostgresLocation;
import org.clusterbackup.core.catalog.TargetClaims;
import org.clusterbackup.core.catalog.TestPostgres;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.testkit.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real servers on one PostgreSQL, one of them ("a") reaching it through a proxy that the test cuts: the
 * database goes silent for it, as in a network partition. It must stop running its targets before its lease
 * ends, never record a run after losing its claim, and the other server ("b") must take its targets.
 */
class ClusterCutOffTest {
    /** Long enough that the drop (at two thirds) is well apart from the lease's end. */
    private static final Duration LEASE = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    private PostgresLocation location;
    private TcpProxy proxy;
    private Catalogs observer;
    private BackupAgent agent;
    private RunningServer a;
    private RunningServer b;
    private String adminToken;
    private final ExecutorService clients = Executors.newSingleThreadExecutor();

    private volatile long heldTarget = -1;
    private final CountDownLatch recording = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch dropped = new CountDownLatch(1);
    private volatile Instant droppedAt;
    private volatile Set<Long> droppedTargets;

    @BeforeEach
    void start() throws IOException {
        location = TestPostgres.freshDatabase();
        observer = location.open(dir, Clock.systemUTC());
        proxy = TcpProxy.to(new InetSocketAddress("127.0.0.1", TestPostgres.port()));
        Path source = Files.createDirectories(dir.resolve("src"));
        for (int i = 0; i < 2; i++) {
            Files.writeString(
                    Files.createDirectories(source.resolve("app-" + i)).resolve("data.txt"), "app " + i);
        }
        agent = BackupAgent.start(new AgentSettings(
                        new InetSocketAddress("127.0.0.2", 0),
                        List.of(source),
                        dir.resolve("agent-state"),
                        ArchiveOptions.defaults(),
                        List.of())
                .withTrustedServers(List.of(
                        org.clusterbackup.core.server.api.BackupServer.identityOf(dir.resolve("data-a")),
                        org.clusterbackup.core.server.api.BackupServer.identityOf(dir.resolve("data-b")))));
        b = RunningServer.start(
                settings("data-b", location, "b"), Clock.systemUTC(), ArchiveStore.WriteHook.NONE, RunHooks.NONE);
        adminToken = Files.readString(b.adminTokenFile()).strip(); // b started first: it wrote the catalog's token
        a = RunningServer.start(
                settings("data-a", TestPostgres.through(location, proxy.port()), "a"),
                Clock.systemUTC(),
                ArchiveStore.WriteHook.NONE,
                new RunHooks() {
                    @Override
                    public void beforeRecord(long targetId, Record step) {
                        if (targetId == heldTarget && step == Record.FINISH) {
                            recording.countDown();
                            Clusters.awaitLatch(release);
                        }
                    }

                    @Override
                    public void droppedUnrenewed(Set<Long> targetIds) {
                        droppedAt = Instant.now();
                        droppedTargets = targetIds;
                        dropped.countDown();
                    }
                });
        BackupClient admin = admin(b);
        for (int i = 0; i < 2; i++) {
            admin.register(
                    "127.0.0.2",
                    agent.address().getPort(),
                    source.resolve("app-" + i).toString(),
                    3600);
        }
    }

    private ServerSettings settings(String dataDir, PostgresLocation catalog, String name) {
        return new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve(dataDir))
                .withCatalog(catalog)
                .withClaims(name, LEASE);
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        clients.shutdownNow();
        proxy.restore();
        for (AutoCloseable c : new AutoCloseable[] {a, b, agent, proxy}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
        observer.close();
    }

    @Test
    void aServerCutOffFromTheDatabaseStopsBeforeItsLeaseEndsNeverRecordsAfterAndTheOtherTakesItsTargets()
            throws Exception {
        Catalog catalog = observer.catalog();
        await().atMost(Duration.ofMinutes(2))
                .until(() -> claims().holders().containsValue("a")
                        && catalog.executions(null, 0).stream()
                                        .filter(e -> e.finishedAt() != null)
                                        .count()
                                == 2);
        long target = claims().holders().entrySet().stream()
                .filter(e -> e.getValue().equals("a"))
                .findFirst()
                .orElseThrow()
                .getKey();
        org.clusterbackup.core.catalog.Target t = catalog.target(target).orElseThrow();
        // The run's row is finished a moment before the scheduler leaves RUNNING; a request in between would
        // join that run (and never reach the hook below) rather than start a new one.
        await().atMost(Duration.ofMinutes(2))
                .until(() -> a.scheduled(target)
                        .map(s -> s.state() != TargetState.RUNNING)
                        .orElse(false));
        Files.writeString(Path.of(t.path()).resolve("data.txt"), "changed while cut off");

        // a runs its target and is held just before it records the end; then the database goes silent for it.
        heldTarget = target;
        Future<ExecutionInfo> run =
                clients.submit(() -> admin(a).run(new TargetSelector(t.node(), t.path(), t.port())));
        Clusters.awaitLatch(recording);
        Execution running = catalog.executions(target, 1).get(0);
        assertEquals(Outcome.RUNNING, running.outcome());
        proxy.cut();

        Clusters.awaitLatch(dropped);
        assertTrue(droppedTargets.contains(target), droppedTargets.toString());
        assertTrue(a.scheduled(target).isEmpty(), "a no longer schedules its target");
        Instant leaseEnd = TestPostgres.leaseEnd(location, "a");
        assertTrue(
                droppedAt.isBefore(leaseEnd), "a stopped at " + droppedAt + ", before its lease ended at " + leaseEnd);

        await().atMost(Duration.ofMinutes(2))
                .until(() -> "b".equals(claims().holders().get(target)));
        Execution closed = catalog.executions(target, 1).get(0);
        assertEquals(running.id(), closed.id());
        assertEquals(Outcome.FAILED, closed.outcome(), "b closed the run a can no longer record");

        // The partition heals and a's run goes on to record its end: the fence refuses it.
        proxy.restore();
        release.countDown();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> run.get(2, TimeUnit.MINUTES));
        assertTrue(
                refused.getCause().getMessage().contains("no longer holds target " + target),
                refused.getCause().getMessage());
        Execution after = catalog.executions(new org.clusterbackup.core.catalog.ExecutionQuery(
                        target, null, null, null, running.id() + 1, 1))
                .get(0);
        assertEquals(Outcome.FAILED, after.outcome(), "a recorded nothing after losing its claim");
        assertNull(after.archiveId());
        assertEquals("b", claims().holders().get(target));
    }

    private BackupClient admin(RunningServer server) {
        return Clusters.admin(server, adminToken);
    }

    private TargetClaims claims() {
        return observer.claims().orElseThrow();
    }
}
