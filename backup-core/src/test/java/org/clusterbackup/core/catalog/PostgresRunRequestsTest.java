package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run requests on a real PostgreSQL: the holder of the target takes one, the asker sees the answer, and a
 * request whose taker lost the target goes to the next holder. A lease "ends" by setting its end in the past.
 */
class PostgresRunRequestsTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock(CatalogFixture.T0);
    private PostgresLocation location;
    private PostgresDatabase database;
    private SqliteCatalog catalog;
    private PostgresClaims claims;
    private RunRequests requests;
    private long target;

    @BeforeEach
    void open() {
        location = TestPostgres.freshDatabase();
        database = PostgresDatabase.open(location, PostgresSchema.MIGRATIONS, PostgresDatabase.MigrationHook.NONE);
        catalog = new SqliteCatalog(database.share(), clock);
        claims = new PostgresClaims(database, catalog);
        requests = claims.runRequests();
        target = catalog.register("127.0.0.2", 7071, "/srv/app", 60).id();
        claims.heartbeat("b", "127.0.0.1:7071", LEASE);
        claims.heartbeat("a", "127.0.0.1:7070", LEASE);
        assertEquals(java.util.Set.of(target), claims.renew("a", "127.0.0.1:7070", LEASE));
    }

    @AfterEach
    void close() {
        catalog.close();
        database.close();
    }

    @Test
    void onlyTheHolderTakesARequestAndItsAnswerReachesTheAsker() {
        long id = requests.submit(target, "b#1");
        assertEquals(List.of(), requests.take("b", "b#1", t -> true), "b does not hold the target");
        assertEquals(List.of(new RunRequests.State(id, target, false, false, null, null)), requests.states("b#1"));

        assertEquals(List.of(new RunRequests.Taken(id, target)), requests.take("a", "a#1", t -> true));
        assertEquals(List.of(), requests.take("a", "a#1", t -> true), "taken once by its process");
        assertTrue(requests.states("b#1").get(0).worked(), "its holder runs it");
        assertFalse(requests.withdraw(id), "a request under way is not withdrawn");

        requests.answer(id, "a#1", 42L, null);
        assertEquals(List.of(new RunRequests.State(id, target, true, true, 42L, null)), requests.states("b#1"));
        requests.forget(id);
        assertEquals(List.of(), requests.states("b#1"));
    }

    @Test
    void aHolderThatCannotRunItYetLeavesItUntaken() {
        long id = requests.submit(target, "b#1");
        assertEquals(List.of(), requests.take("a", "a#1", t -> false));
        assertFalse(requests.states("b#1").get(0).worked());
        assertEquals(1, requests.take("a", "a#1", t -> true).size());
        requests.putBack(id, "a#1");
        assertFalse(requests.states("b#1").get(0).worked(), "put back: nobody works on it");
        assertEquals(1, requests.take("a", "a#1", t -> true).size(), "and the holder takes it again");
    }

    @Test
    void aRequestWhoseTakerLostTheTargetGoesToTheNextHolderAndTheFormerTakersAnswerIsIgnored() throws Exception {
        long id = requests.submit(target, "b#1");
        assertEquals(1, requests.take("a", "a#1", t -> true).size());
        TestPostgres.expire(location, "a");
        assertFalse(requests.states("b#1").get(0).worked(), "its taker no longer holds the target");
        assertEquals(java.util.Set.of(target), claims.renew("b", "127.0.0.1:7071", LEASE));

        assertEquals(List.of(new RunRequests.Taken(id, target)), requests.take("b", "b#1", t -> true));
        requests.answer(id, "a#1", 7L, null);
        assertFalse(requests.states("b#1").get(0).answered(), "the former taker's answer is not the one asked for");
        requests.answer(id, "b#1", 8L, null);
        assertEquals(8L, requests.states("b#1").get(0).executionId());
    }

    @Test
    void aServerRestartedUnderItsNameTakesWhatItsFormerProcessLeft() {
        long id = requests.submit(target, "b#1");
        assertEquals(1, requests.take("a", "a#1", t -> true).size());
        assertEquals(List.of(new RunRequests.Taken(id, target)), requests.take("a", "a#2", t -> true));
    }

    @Test
    void aRequestNobodyWorksOnIsWithdrawnOnce() {
        long id = requests.submit(target, "b#1");
        assertTrue(requests.withdraw(id));
        assertFalse(requests.withdraw(id));
        assertEquals(List.of(), requests.take("a", "a#1", t -> true), "a withdrawn request is never run");
    }
}
