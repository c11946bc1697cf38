package org.clusterbackup.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.catalog.Catalogs;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.PostgresLocation;
import org.clusterbackup.core.catalog.TargetClaims;
import org.clusterbackup.core.catalog.TestPostgres;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.protocol.ServerInfo;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims spread again when the servers change: a server that joins a running cluster, or comes back after
 * it was killed, gets its fair share from those that held more, and no target runs twice in its period on
 * the way (each target runs once an hour here, so every run beyond the first would be one too many).
 */
class ClusterRebalanceTest {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int TARGETS = 9;

    @TempDir
    Path dir;

    private PostgresLocation location;
    private Catalogs observer;
    private BackupAgent agent;
    private final List<Path> trees = new ArrayList<>();
    private final BackupServer[] servers = new BackupServer[3];

    @BeforeEach
    void startAgent() throws IOException {
        location = TestPostgres.freshDatabase();
        observer = location.open(dir, Clock.systemUTC());
        List<Fingerprint> identities = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            identities.add(BackupServer.identityOf(dataDir(i)));
        }
        agent = Clusters.agent(dir, TARGETS, trees, identities);
    }

    @AfterEach
    void stopAll() throws IOException {
        for (BackupServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
        agent.close();
        observer.close();
    }

    private Path dataDir(int i) {
        return dir.resolve("data-" + i);
    }

    private void start(int i) throws IOException {
        servers[i] = Clusters.server(location, dataDir(i), "s" + i, LEASE, RunHooks.NONE);
    }

    /** Registers every tree to run once an hour, and waits until each has run once and has a holder. */
    private void registerAndAwaitFirstRuns() throws IOException {
        for (Path tree : trees) {
            Pipeline.adminOf(servers[0]).register("127.0.0.2", agent.address().getPort(), tree.toString(), 3600);
        }
        await().atMost(Duration.ofMinutes(2))
                .until(() -> claims().holders().size() == TARGETS
                        && runsPerTarget().size() == TARGETS
                        && runsPerTarget().values().stream()
                                .flatMap(List::stream)
                                .allMatch(e -> e.finishedAt() != null));
    }

    @Test
    void aServerThatJoinsARunningClusterTakesItsShareFromTheOthersAndNoTargetRunsTwice() throws Exception {
        start(0);
        start(1);
        registerAndAwaitFirstRuns();
        assertEquals(List.of(4, 5), held().values().stream().sorted().toList(), "two servers split nine: 5 + 4");

        start(2);

        // The bound only stops a hung test; it is no speed claim.
        await().atMost(Duration.ofMinutes(2)).until(() -> held().equals(evenly("s0", "s1", "s2")));
        assertOnceEachAndAllHeld();
        List<ServerInfo> live = Pipeline.adminOf(servers[0]).servers();
        assertEquals(
                List.of("s0:3", "s1:3", "s2:3"),
                live.stream().map(s -> s.name() + ":" + s.targets()).toList(),
                "what an operator sees in backupctl servers");
    }

    @Test
    void aKilledServersTargetsSpreadOverTheSurvivorsAndComeBackWhenItReturns() throws Exception {
        start(0);
        start(1);
        start(2);
        registerAndAwaitFirstRuns();
        await().atMost(Duration.ofMinutes(2)).until(() -> held().equals(evenly("s0", "s1", "s2")));

        ((RunningServer) servers[1]).crash();
        servers[1] = null;
        await().atMost(Duration.ofMinutes(2))
                .until(() -> held().keySet().equals(Set.of("s0", "s2"))
                        && claims().holders().size() == TARGETS);
        Map<String, Integer> survivors = held();
        assertEquals(
                List.of(4, 5),
                survivors.values().stream().sorted().toList(),
                "the survivors share the nine targets, each at most its share of ceil(9 / 2): " + survivors);

        start(1); // the same name and data dir, as a restarted server
        await().atMost(Duration.ofMinutes(2)).until(() -> held().equals(evenly("s0", "s1", "s2")));
        assertOnceEachAndAllHeld();
    }

    /** Every target has a holder, and ran exactly once, stored: none ran twice in its hour, none failed. */
    private void assertOnceEachAndAllHeld() {
        assertEquals(TARGETS, claims().holders().size(), "every target has a holder");
        Map<Long, List<Execution>> runs = runsPerTarget();
        assertEquals(TARGETS, runs.size());
        runs.forEach((target, list) -> {
            assertEquals(1, list.size(), "target " + target + " ran once in its hour: " + list);
            assertEquals(Outcome.STORED, list.get(0).outcome(), list.get(0).error());
        });
    }

    private static Map<String, Integer> evenly(String... names) {
        Map<String, Integer> out = new TreeMap<>();
        Arrays.stream(names).forEach(n -> out.put(n, TARGETS / names.length));
        return out;
    }

    /** How many targets each server holds now, by name. */
    private Map<String, Integer> held() {
        Map<String, Integer> out = new TreeMap<>();
        claims().holders().values().forEach(s -> out.merge(s, 1, Integer::sum));
        return out;
    }

    private TargetClaims claims() {
        return observer.claims().orElseThrow();
    }

    /** Every execution there is (finished or not), by target. */
    private Map<Long, List<Execution>> runsPerTarget() {
        Map<Long, List<Execution>> out = new TreeMap<>();
        for (Execution e : observer.catalog().executions(null, 0)) {
            out.computeIfAbsent(e.targetId(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }
}
