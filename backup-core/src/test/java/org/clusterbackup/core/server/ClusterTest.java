package org.clusterbackup.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.agent.BackupAgent;
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
import org.clusterbackup.core.protocol.ServerInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real servers on one PostgreSQL catalog, one agent with six directories: claims spread the targets,
 * each runs on exactly one server, and a killed server's targets run on the others after its lease.
 */
class ClusterTest {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int TARGETS = 6;

    @TempDir
    Path dir;

    private PostgresLocation location;
    private final List<BackupServer> servers = new ArrayList<>();
    private BackupAgent agent;
    private final List<Path> trees = new ArrayList<>();
    /** The test's own look at the shared catalog, as an operator's psql would have. */
    private Catalogs observer;
    /** What the servers' runs do at their seams; a test sets it. */
    private volatile RunHooks hooks = RunHooks.NONE;

    private String adminToken;

    @BeforeEach
    void startCluster() throws IOException {
        location = TestPostgres.freshDatabase();
        observer = location.open(dir, Clock.systemUTC());
        List<Fingerprint> identities = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            identities.add(BackupServer.identityOf(dataDir(i)));
        }
        agent = Clusters.agent(dir, TARGETS, trees, identities);
        for (int i = 0; i < 3; i++) {
            servers.add(Clusters.server(location, dataDir(i), "s" + i, LEASE, new RunHooks() {
                @Override
                public void beforeRecord(long targetId, Record step) {
                    hooks.beforeRecord(targetId, step);
                }

                @Override
                public void joined(long targetId) {
                    hooks.joined(targetId);
                }
            }));
        }
        adminToken = Files.readString(servers.get(0).adminTokenFile()).strip(); // the first start wrote it
    }

    @AfterEach
    void stopCluster() throws IOException {
        for (BackupServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
        if (agent != null) {
            agent.close();
        }
        observer.close();
    }

    private Path dataDir(int i) {
        return dir.resolve("data-" + i);
    }

    private BackupClient admin(int i) {
        return Clusters.admin(servers.get(i), adminToken);
    }

    private void register(long everySeconds) throws IOException {
        BackupClient admin = Pipeline.adminOf(servers.get(0));
        for (Path tree : trees) {
            admin.register("127.0.0.2", agent.address().getPort(), tree.toString(), everySeconds);
        }
    }

    @Test
    void everyTargetRunsOnExactlyOneServerAndTheServersShareThem() throws Exception {
        register(3600);

        Catalog catalog = observer.catalog();
        await().atMost(Duration.ofMinutes(2)).until(() -> finishedRuns(catalog).size() == TARGETS);
        Map<Long, List<Execution>> runs = finishedRuns(catalog);
        Map<Long, Integer> ranOn = new HashMap<>();
        for (long target : runs.keySet()) {
            assertEquals(1, runs.get(target).size(), "one run of target " + target + " in its hour");
            assertEquals(
                    Outcome.STORED,
                    runs.get(target).get(0).outcome(),
                    runs.get(target).get(0).error());
            List<Integer> dirs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (Files.isDirectory(dataDir(i).resolve("archives").resolve(Long.toString(target)))) {
                    dirs.add(i);
                }
            }
            assertEquals(1, dirs.size(), "target " + target + " stored by exactly one server: " + dirs);
            ranOn.put(target, dirs.get(0));
        }
        Map<Long, String> holders = claims().holders();
        ranOn.forEach((target, server) ->
                assertEquals("s" + server, holders.get(target), "target " + target + " ran on its holder"));
        assertTrue(new HashSet<>(ranOn.values()).size() >= 2, "claims spread the targets: " + ranOn);

        // Any server shows the holders: list's "server" and the live servers with their counts.
        BackupClient other = admin(2);
        Map<Long, String> listed = new HashMap<>();
        other.list().forEach(t -> listed.put(t.id(), t.server()));
        assertEquals(claims().holders(), listed);
        List<ServerInfo> live = other.servers();
        assertEquals(
                List.of("s0", "s1", "s2"), live.stream().map(ServerInfo::name).toList());
        assertEquals(TARGETS, live.stream().mapToInt(ServerInfo::targets).sum());
        for (ServerInfo s : live) {
            int index = Integer.parseInt(s.name().substring(1));
            assertEquals("127.0.0.1:" + servers.get(index).address().getPort(), s.address());
            assertEquals(ranOn.values().stream().filter(i -> i == index).count(), s.targets(), s.toString());
        }
    }

    @Test
    void aKilledServersTargetsRunOnTheOthersAfterItsLease() throws Exception {
        register(5);
        Catalog catalog = observer.catalog();
        await().atMost(Duration.ofMinutes(2)).until(() -> finishedRuns(catalog).size() == TARGETS);
        Map<Long, String> before = claims().holders();
        String victim = before.values().iterator().next();
        Set<Long> orphaned = new HashSet<>();
        before.forEach((target, holder) -> {
            if (holder.equals(victim)) {
                orphaned.add(target);
            }
        });
        int index = Integer.parseInt(victim.substring(1));
        Instant killedAt = Instant.now();
        ((RunningServer) servers.get(index)).crash();
        servers.set(index, null);

        // Lease (3 s) + a round + the period (5 s); the bound only stops a hung test, it is no speed claim.
        await().atMost(Duration.ofMinutes(2))
                .until(() -> orphaned.stream()
                        .allMatch(target ->
                                !victim.equals(claims().holders().get(target)) && ranSince(catalog, target, killedAt)));
        Map<Long, String> after = claims().holders();
        assertTrue(
                orphaned.stream()
                        .allMatch(t -> after.get(t) != null && !after.get(t).equals(victim)),
                after.toString());
        List<String> live = admin(index == 0 ? 1 : 0).servers().stream()
                .map(ServerInfo::name)
                .toList();
        assertEquals(2, live.size(), "the killed server is not listed once its lease ran out: " + live);
        assertTrue(!live.contains(victim), live.toString());
    }

    @Test
    void aRunSentToAServerThatDoesNotHoldTheTargetRunsOnItsHolderOnceEvenWhenAskedOfBoth() throws Exception {
        register(3600);
        Catalog catalog = observer.catalog();
        await().atMost(Duration.ofMinutes(2)).until(() -> finishedRuns(catalog).size() == TARGETS);
        Map<Long, String> holders = claims().holders();
        long target = holders.keySet().iterator().next();
        int holder = Integer.parseInt(holders.get(target).substring(1));
        int elsewhere = (holder + 1) % 3;
        TargetInfo info = admin(0).list().stream()
                .filter(t -> t.id() == target)
                .findFirst()
                .orElseThrow();
        TargetSelector selector = new TargetSelector(info.node(), info.path(), info.port());
        Files.writeString(Path.of(info.path()).resolve("data.txt"), "changed since the first run\n");
        // The first run's row is finished a moment before its scheduler leaves RUNNING: a request in between
        // would join that run instead of starting the one this test holds.
        RunningServer holding = (RunningServer) servers.get(holder);
        await().atMost(Duration.ofMinutes(2))
                .until(() -> holding.scheduled(target)
                        .map(s -> s.state() != TargetState.RUNNING)
                        .orElse(false));

        // The holder's own run is held just before it records its end; the same run asked of another server
        // must join it there, not start a second one anywhere.
        CountDownLatch recording = new CountDownLatch(1);
        CountDownLatch joined = new CountDownLatch(1);
        hooks = new RunHooks() {
            @Override
            public void beforeRecord(long targetId, Record step) {
                if (targetId == target && step == Record.FINISH) {
                    recording.countDown();
                    Clusters.awaitLatch(joined);
                }
            }

            @Override
            public void joined(long targetId) {
                if (targetId == target) {
                    joined.countDown();
                }
            }
        };
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<ExecutionInfo> onHolder = clients.submit(() -> admin(holder).run(selector));
            Clusters.awaitLatch(recording);
            Future<ExecutionInfo> onOther =
                    clients.submit(() -> admin(elsewhere).run(selector));
            ExecutionInfo ran = onHolder.get(2, TimeUnit.MINUTES);
            assertEquals(Outcome.STORED, ran.outcome(), ran.error());
            assertEquals(ran.id(), onOther.get(2, TimeUnit.MINUTES).id(), "the other server answers with that run");
        } finally {
            clients.shutdownNow();
        }
        hooks = RunHooks.NONE;
        assertEquals(2, finishedRuns(catalog).get(target).size(), "the first run and the one asked of both");

        // Asked of a server that does not hold it, with nothing in progress: a run of its own, on the holder.
        ExecutionInfo again = admin(elsewhere).run(selector);
        assertEquals(target, again.targetId());
        assertEquals(Outcome.UNCHANGED, again.outcome(), again.error());
        assertEquals(3, finishedRuns(catalog).get(target).size());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    i == holder,
                    Files.isDirectory(dataDir(i).resolve("archives").resolve(Long.toString(target))),
                    "the target's archives are in its holder's data dir only: server s" + i);
        }
    }

    private TargetClaims claims() {
        return observer.claims().orElseThrow();
    }

    private static boolean ranSince(Catalog catalog, long target, Instant t) {
        return catalog.executions(target, 0).stream()
                .anyMatch(
                        e -> e.startedAt().isAfter(t) && e.finishedAt() != null && !Outcome.FAILED.equals(e.outcome()));
    }

    private static Map<Long, List<Execution>> finishedRuns(Catalog catalog) {
        Map<Long, List<Execution>> out = new HashMap<>();
        for (Execution e : catalog.executions(null, 0)) {
            if (e.finishedAt() != null) {
                out.computeIfAbsent(e.targetId(), k -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }
}
