package org.clusterbackup.core.catalog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link CatalogTest} on a PostgreSQL catalog, and what only a shared database has: servers
 * starting together migrate once, one pool serves the catalog and the security store, the version row.
 */
class PostgresCatalogTest extends CatalogTest {
    private PostgresLocation location;

    @BeforeEach
    void freshDatabase() {
        location = TestPostgres.freshDatabase();
    }

    @Override
    Catalog open() {
        return TestPostgres.catalog(location, CLOCK);
    }

    /** Version 3, before execution ranges: its UNCHANGED rows move into ranges and the log reads the same. */
    @Test
    void aVersion3CatalogKeepsItsLogWithUnchangedRunsMovedIntoRanges() throws Exception {
        List<Execution> before = version3WithRuns();
        try (Catalog c = open()) {
            assertEquals(PostgresSchema.latestVersion(), c.schemaVersion());
            assertEquals(before, c.executions(ExecutionQuery.newest(null, 0)));
        }
        try (Connection raw = TestPostgres.connect(location)) {
            assertEquals(
                    List.of(0L),
                    Rows.all(
                            raw,
                            "SELECT COUNT(*) AS n FROM executions WHERE outcome = 'UNCHANGED'",
                            r -> r.getLong("n")));
            assertEquals(
                    List.of(3, 1, 1),
                    Rows.all(
                            raw,
                            "SELECT runs FROM " + SqliteSchemaTest.ALL_RANGES + " ORDER BY first_id",
                            r -> r.getInt("runs")));
        }
    }

    /** Version 4, digests in hex and ranges without span levels: read the same after version 5. */
    @Test
    void aVersion4CatalogReadsTheSameWithCompactDigestsAndSpanLevels() throws Exception {
        migrateTo(3, java.util.Map.of());
        List<Execution> before;
        try (Connection raw = TestPostgres.connect(location);
                Statement s = raw.createStatement()) {
            SqliteSchemaTest.insertRunsBeforeRanges(s);
            SqliteSchemaTest.insertArchivesOfEveryDigestForm(s);
            before = Rows.all(raw, SqliteExecutions.SELECT + " ORDER BY e.id DESC", SqliteExecutions::execution);
        }
        migrateTo(4, java.util.Map.of(4, RangeConversion::convert));
        try (Catalog c = open()) {
            assertEquals(PostgresSchema.latestVersion(), c.schemaVersion());
            assertEquals(before, c.executions(ExecutionQuery.newest(null, 0)));
            assertEquals(
                    before.subList(3, 5),
                    c.executions(
                            ExecutionQuery.newest(null, 2).after(before.get(2).id())));
            SqliteSchemaTest.assertArchivesOfEveryDigestForm(c);
        }
        try (Connection raw = TestPostgres.connect(location)) {
            assertEquals(
                    List.of(32),
                    Rows.all(raw, "SELECT octet_length(sha256) AS n FROM archives WHERE id = 2", r -> r.getInt("n")));
            assertEquals(
                    List.of(2, 0, 0),
                    Rows.all(
                            raw,
                            "SELECT span_level FROM " + SqliteSchemaTest.ALL_RANGES + " ORDER BY first_id",
                            r -> r.getInt("span_level")));
        }
    }

    /** Version 6, its runs deflated: each target's newest range open, the others sealed, after version 7. */
    @Test
    void aVersion6CatalogKeepsItsLogWithEachTargetsNewestRangeOpenAndTheOthersSealed() throws Exception {
        List<Execution> before = version3WithRuns();
        migrateTo(6, java.util.Map.of(4, RangeConversion::convert, 5, CompactCatalog::convert));
        try (Connection raw = TestPostgres.connect(location)) {
            SqliteSchemaTest.deflateEveryRange(raw);
        }
        try (Catalog c = open();
                Connection raw = TestPostgres.connect(location)) {
            assertEquals(PostgresSchema.latestVersion(), c.schemaVersion());
            SqliteSchemaTest.assertOpenAndSealedRanges(c, raw, before);
        }
    }

    /** Version 3 with {@link SqliteSchemaTest#insertRunsBeforeRanges}'s runs; the log as it reads there. */
    private List<Execution> version3WithRuns() throws Exception {
        migrateTo(3, java.util.Map.of());
        try (Connection raw = TestPostgres.connect(location);
                Statement s = raw.createStatement()) {
            SqliteSchemaTest.insertRunsBeforeRanges(s);
            return Rows.all(raw, SqliteExecutions.SELECT + " ORDER BY e.id DESC", SqliteExecutions::execution);
        }
    }

    /** The database as version {@code version} of the schema, with these steps, left it. */
    private void migrateTo(int version, java.util.Map<Integer, MigrationStep> steps) {
        PostgresDatabase.open(
                        location,
                        PostgresSchema.MIGRATIONS.subList(0, version),
                        steps,
                        PostgresDatabase.MigrationHook.NONE)
                .close();
    }

    @Test
    void twoServersStartingTogetherMigrateOnce() throws Exception {
        List<Integer> versionsFound = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstHoldsTheLock = new CountDownLatch(1);
        CountDownLatch letTheFirstMigrate = new CountDownLatch(1);
        PostgresDatabase.MigrationHook hook = found -> {
            versionsFound.add(found);
            if (versionsFound.size() == 1) {
                firstHoldsTheLock.countDown();
                letTheFirstMigrate.await();
            }
        };
        ExecutorService servers = Executors.newFixedThreadPool(2);
        try {
            Future<Catalogs> first = servers.submit(() -> PostgresCatalogs.open(location, CLOCK, hook));
            firstHoldsTheLock.await();
            Future<Catalogs> second = servers.submit(() -> PostgresCatalogs.open(location, CLOCK, hook));
            // The second server is blocked on the lock, not past it, while the first has yet to migrate.
            await().atMost(Duration.ofMinutes(1)).until(this::someoneWaitsForTheMigrationLock);
            letTheFirstMigrate.countDown();

            try (Catalogs a = first.get();
                    Catalogs b = second.get()) {
                assertEquals(
                        List.of(0, PostgresSchema.latestVersion()),
                        versionsFound,
                        "the first found an empty database, the second the schema the first made");
                assertEquals(PostgresSchema.latestVersion(), b.catalog().schemaVersion());
                Target t = a.catalog().register("127.0.0.2", 7071, "/srv/app", 60);
                assertEquals(List.of(t), b.catalog().activeTargets(), "both servers see one catalog");
            }
        } finally {
            letTheFirstMigrate.countDown();
            servers.shutdownNow();
        }
    }

    private boolean someoneWaitsForTheMigrationLock() throws Exception {
        return TestPostgres.someoneWaitsForAnAdvisoryLock(location);
    }

    @Test
    void aDatabaseWithANewerSchemaIsRefused() throws Exception {
        open().close();
        try (Connection c = TestPostgres.connect(location);
                Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = " + (PostgresSchema.latestVersion() + 1));
        }
        CatalogException e = assertThrows(CatalogException.class, this::open);
        assertTrue(e.getMessage().contains("newer than this program's"), e.getMessage());
    }

    @Test
    void theCatalogAndTheSecurityStoreShareOneDatabaseAndCloseWithTheLastOfThem() {
        Catalogs stores = location.open(null, CLOCK);
        stores.catalog().register("127.0.0.2", 7071, "/srv/app", 60);
        stores.catalog().close();
        assertTrue(stores.security().addToken("ops", "operator", "hash-ops"), "the pool outlives the catalog");
        stores.security().close();
        try (SecurityCatalog again = TestPostgres.security(location, CLOCK)) {
            assertEquals("ops", again.tokens().get(0).name());
        }
    }

    @Test
    void anUnreachableDatabaseIsAOneLineErrorNamingItWithoutItsParameters() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        PostgresLocation nowhere = new PostgresLocation(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/catalog?password=secret", "backup", "also-secret");
        CatalogException e = assertThrows(CatalogException.class, () -> nowhere.open(null, CLOCK));
        assertTrue(
                e.getMessage()
                        .startsWith("cannot open catalog jdbc:postgresql://127.0.0.1:" + closedPort + "/catalog: "),
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(nowhere.toString().contains("secret"), nowhere.toString());
    }
}
