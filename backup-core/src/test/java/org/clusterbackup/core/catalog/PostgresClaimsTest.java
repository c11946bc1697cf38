package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims on a real PostgreSQL: shares, renewal, take-over after a lease ends, and the fencing check that
 * keeps a former holder from recording a run. A lease "ends" by setting its end in the past, as the
 * database's clock would after that long: no test waits for one.
 */
class PostgresClaimsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock(CatalogFixture.T0);
    private PostgresLocation location;
    private PostgresDatabase database;
    private SqliteCatalog catalog;
    private PostgresClaims claims;

    @BeforeEach
    void open() {
        location = TestPostgres.freshDatabase();
        database = PostgresDatabase.open(location, PostgresSchema.MIGRATIONS, PostgresDatabase.MigrationHook.NONE);
        catalog = new SqliteCatalog(database.share(), clock);
        claims = new PostgresClaims(database, catalog);
    }

    @AfterEach
    void close() {
        catalog.close();
        database.close();
    }

    private List<Long> register(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i ->
                        catalog.register("127.0.0.2", 7071, "/srv/app-" + i, 60).id())
                .toList();
    }

    @Test
    void serversThatStartTogetherSplitTheTargetsWithoutOverlap() {
        List<Long> ids = register(10);
        claims.heartbeat("a", "127.0.0.1:7070", LEASE);
        claims.heartbeat("b", "127.0.0.1:7071", LEASE);
        claims.heartbeat("c", "127.0.0.1:7072", LEASE);

        Set<Long> a = claims.renew("a", "127.0.0.1:7070", LEASE);
        Set<Long> b = claims.renew("b", "127.0.0.1:7071", LEASE);
        Set<Long> c = claims.renew("c", "127.0.0.1:7072", LEASE);

        assertEquals(List.of(4, 4, 2), List.of(a.size(), b.size(), c.size()), "each takes at most ceil(10 / 3)");
        Set<Long> all = new HashSet<>(a);
        all.addAll(b);
        all.addAll(c);
        assertEquals(Set.copyOf(ids), all, "every target has a holder, and only one: the sizes add up to 10");
        assertEquals(a, claims.renew("a", "127.0.0.1:7070", LEASE), "a holder keeps its targets between rounds");
        Map<Long, String> holders = claims.holders();
        assertTrue(a.stream().allMatch(id -> holders.get(id).equals("a")), holders.toString());
    }

    @Test
    void aServerThatStopsRenewingLosesItsTargetsToAnotherWhoseRunsThenCount() throws Exception {
        register(3);
        Set<Long> held = claims.renew("a", "127.0.0.1:7070", LEASE);
        long target = held.iterator().next();
        Execution running = catalog.startExecution(catalog.target(target).orElseThrow(), RunTrigger.SCHEDULE);

        TestPostgres.expire(location, "a");
        Set<Long> taken = claims.renew("b", "127.0.0.1:7071", LEASE);

        assertEquals(held, taken, "b took over every target of a");
        assertEquals(
                List.of("b"),
                claims.liveServers().stream().map(ServerRecord::name).toList(),
                "a is no longer listed");
        Execution closed = catalog.executions(target, 1).get(0);
        assertEquals(running.id(), closed.id());
        assertEquals(Outcome.FAILED, closed.outcome());
        assertEquals(PostgresClaims.TAKEN_OVER, closed.error());

        assertEquals(Set.of(), claims.renew("a", "127.0.0.1:7070", LEASE), "a comes back to find them taken");
    }

    @Test
    void aServerThatLostItsClaimCannotRecordTheRunItWasDoing() throws Exception {
        register(1);
        long target = claims.renew("a", "127.0.0.1:7070", LEASE).iterator().next();
        claims.fenceRunsOf("a");
        long cutOff = catalog.startExecution(catalog.target(target).orElseThrow(), RunTrigger.SCHEDULE)
                .id();
        long finishedInTime = catalog.startExecution(catalog.target(target).orElseThrow(), RunTrigger.MANUAL)
                .id();
        assertEquals(
                Outcome.FAILED,
                catalog.finishFailed(finishedInTime, "refused", FailureKind.REFUSED, 0, List.of())
                        .outcome(),
                "recorded while a holds the target");

        TestPostgres.expire(location, "a");
        CatalogException fenced = assertThrows(
                CatalogException.class,
                () -> catalog.finishStored(
                        cutOff,
                        new NewArchive(1, 1, "s", "d", "i"),
                        1,
                        List.of(),
                        Execution.FULL,
                        (t, a) -> a + ".tgz"));
        assertTrue(fenced.getMessage().contains("server a no longer holds target " + target), fenced.getMessage());
        assertThrows(CatalogException.class, () -> catalog.finishFailed(cutOff, "x", FailureKind.OTHER, 0, List.of()));
        assertEquals(List.of(), catalog.archives(target), "nothing was recorded");
        assertEquals(
                Outcome.RUNNING,
                catalog.executions(target, 0).stream()
                        .filter(e -> e.id() == cutOff)
                        .findFirst()
                        .orElseThrow()
                        .outcome(),
                "its run stays open for the next holder to close");
    }

    @Test
    void aRestartedServerClosesOnlyTheRunsOfTargetsClaimedInItsName() {
        register(2);
        claims.heartbeat("b", "127.0.0.1:7071", LEASE);
        long mine = claims.renew("a", "127.0.0.1:7070", LEASE).iterator().next();
        long theirs = claims.renew("b", "127.0.0.1:7071", LEASE).iterator().next();
        long myRun = catalog.startExecution(catalog.target(mine).orElseThrow(), RunTrigger.SCHEDULE)
                .id();
        long theirRun = catalog.startExecution(catalog.target(theirs).orElseThrow(), RunTrigger.SCHEDULE)
                .id();

        assertEquals(1, claims.failInterruptedRunsOf("a", "interrupted by server restart"));

        assertEquals(Outcome.FAILED, catalog.executions(mine, 1).get(0).outcome());
        assertEquals(myRun, catalog.executions(mine, 1).get(0).id());
        assertEquals(Outcome.RUNNING, catalog.executions(theirs, 1).get(0).outcome(), "b's run goes on");
        assertEquals(theirRun, catalog.executions(theirs, 1).get(0).id());
    }

    @Test
    void aHolderThatRenewsInTimeKeepsItsTargets() {
        register(2);
        Set<Long> held = claims.renew("a", "127.0.0.1:7070", LEASE);
        claims.heartbeat("b", "127.0.0.1:7071", LEASE);
        claims.renew("a", "127.0.0.1:7070", LEASE);
        assertEquals(Set.of(), claims.renew("b", "127.0.0.1:7071", LEASE), "nothing is free while a renews");
        assertEquals(held, claims.holders().keySet());
    }

    @Test
    void liveServersCountTheirTargetsAndAReleaseFreesThemAtOnce() {
        register(4);
        claims.heartbeat("b", "127.0.0.1:7071", LEASE);
        claims.renew("a", "127.0.0.1:7070", LEASE);
        List<ServerRecord> live = claims.liveServers();
        assertEquals(
                List.of("a:2", "b:0"),
                live.stream().map(s -> s.name() + ":" + s.targets()).toList());
        assertEquals("127.0.0.1:7070", live.get(0).address());

        claims.release("a");
        assertEquals(
                List.of("b"),
                claims.liveServers().stream().map(ServerRecord::name).toList());
        assertEquals(4, claims.renew("b", "127.0.0.1:7071", LEASE).size(), "alone now, b takes all four");
    }

    @Test
    void aServerAboveItsShareGivesBackOnlyItsOwnClaimsAndAnotherTakesThem() {
        List<Long> ids = register(9);
        Set<Long> a = claims.renew("a", "127.0.0.1:7070", LEASE);
        assertEquals(9, a.size(), "alone, a holds everything");
        claims.heartbeat("b", "127.0.0.1:7071", LEASE);
        claims.heartbeat("c", "127.0.0.1:7072", LEASE);
        assertEquals(3, claims.share(), "ceil(9 / 3)");
        assertEquals(Set.of(), claims.renew("c", "127.0.0.1:7072", LEASE), "nothing is free yet");

        List<Long> excess = ids.subList(0, 3);
        assertEquals(Set.copyOf(excess), claims.release("a", excess));
        assertEquals(Set.of(), claims.release("b", ids), "b holds none of them: nothing is given back");
        assertEquals(Set.copyOf(excess), claims.renew("c", "127.0.0.1:7072", LEASE), "c takes what a gave back");
        assertEquals(Set.copyOf(ids.subList(3, 9)), claims.renew("a", "127.0.0.1:7070", LEASE));
        Map<Long, String> holders = claims.holders();
        assertEquals(9, holders.size(), "every target has one holder");
        assertTrue(excess.stream().allMatch(id -> holders.get(id).equals("c")), holders.toString());
    }

    @Test
    void anUnregisteredTargetIsNoLongerHeld() {
        register(2);
        claims.renew("a", "127.0.0.1:7070", LEASE);
        catalog.unregister(new org.clusterbackup.core.model.TargetSelector("127.0.0.2", "/srv/app-0", null));
        Set<Long> held = claims.renew("a", "127.0.0.1:7070", LEASE);
        assertEquals(
                Set.of("/srv/app-1"),
                held.stream().map(id -> catalog.target(id).orElseThrow().path()).collect(Collectors.toSet()));
    }
}
