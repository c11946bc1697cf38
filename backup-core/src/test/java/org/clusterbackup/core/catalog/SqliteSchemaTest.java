package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the SQLite files have: WAL mode, the upgrade from released versions, {@code PRAGMA user_version}. */
class SqliteSchemaTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07.089Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Catalog open() {
        return Catalog.open(dir.resolve("catalog.db"), CLOCK);
    }

    @Test
    void anEmptyFileIsMigratedToTheLatestSchemaInWalMode() throws Exception {
        Path file = dir.resolve("catalog.db");
        Files.createFile(file);
        try (Catalog c = open()) {
            assertEquals(Schema.latestVersion(), c.schemaVersion());
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = raw.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
    }

    /** Version 3 as the archive-index line wrote it: migrations 1 to 3 of this build. */
    @Test
    void aVersion3CatalogWithTheArchiveIndexGainsTheIdentityFailureKind() throws Exception {
        version3(Schema.MIGRATIONS.subList(0, 3));
        assertUpgradedKeepingItsRows();
    }

    private void version3(List<List<String>> migrations) throws Exception {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                Statement s = raw.createStatement()) {
            for (List<String> migration : migrations) {
                for (String sql : migration) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version = 3");
            s.execute("INSERT INTO targets (node, port, path, every_seconds, registered_at) "
                    + "VALUES ('127.0.0.2', 7071, '/srv/app', 60, 0)");
            s.execute("INSERT INTO executions (target_id, trigger, started_at, finished_at, outcome, error, "
                    + "failure_kind) VALUES (1, 'MANUAL', 0, 1, 'FAILED', 'down', 'UNREACHABLE')");
        }
    }

    private void assertUpgradedKeepingItsRows() throws Exception {
        try (Catalog c = open()) {
            assertEquals(Schema.latestVersion(), c.schemaVersion());
            assertEquals(1, c.activeTargets().size());
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT failure_kind FROM executions")) {
                assertTrue(rs.next());
                assertEquals("UNREACHABLE", rs.getString(1));
            }
            s.execute("INSERT INTO executions (target_id, trigger, started_at, outcome, failure_kind) "
                    + "VALUES (1, 'MANUAL', 2, 'FAILED', 'IDENTITY')");
            s.execute("INSERT INTO archives (target_id, created_at, size_bytes, files, sha256, digest, file_name, "
                    + "index_sha256) VALUES (1, 3, 10, 1, 'ab', 'cd', 'f.tgz', 'ef')");
        }
    }

    /** Version 5, before execution ranges: its UNCHANGED rows move into ranges and the log reads the same. */
    @Test
    void aVersion5CatalogKeepsItsLogWithUnchangedRunsMovedIntoRanges() throws Exception {
        List<Execution> before;
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                Statement s = raw.createStatement()) {
            for (List<String> migration : Schema.MIGRATIONS.subList(0, 5)) {
                for (String sql : migration) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version = 5");
            insertRunsBeforeRanges(s);
            before = Rows.all(raw, SqliteExecutions.SELECT + " ORDER BY e.id DESC", SqliteExecutions::execution);
        }
        try (Catalog c = open()) {
            assertEquals(Schema.latestVersion(), c.schemaVersion());
            assertEquals(before, c.executions(ExecutionQuery.newest(null, 0)));
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                Statement s = raw.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM executions WHERE outcome = 'UNCHANGED'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "every UNCHANGED row moved");
            }
            // 3 then broken by the warning, the warned one alone, 1 after the failure
            assertEquals(
                    List.of(3, 1, 1),
                    Rows.all(raw, "SELECT runs FROM execution_ranges ORDER BY first_id", r -> r.getInt("runs")));
        }
    }

    @Test
    void aCatalogFromANewerVersionIsRefused() throws Exception {
        Path file = dir.resolve("catalog.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = raw.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.latestVersion() + 1));
        }
        CatalogException e = assertThrows(CatalogException.class, this::open);
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void aSecurityStoreFromANewerVersionIsRefused() throws Exception {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SecurityCatalog.FILE_NAME));
                Statement st = raw.createStatement()) {
            st.execute("PRAGMA user_version = 2");
        }
        CatalogException e = assertThrows(CatalogException.class, () -> SecurityCatalog.open(dir, CLOCK));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    private static final String[] RUNS = {
        "1, 'SCHEDULE', 0, 1000, 'STORED', 900, 1, 4, NULL, NULL, '[]', 'FULL'",
        "1, 'SCHEDULE', 60000, 60120, 'UNCHANGED', 123, 1, 4, NULL, NULL, '[]', NULL",
        "2, 'MANUAL', 60050, 60070, 'FAILED', 0, NULL, NULL, 'down', 'UNREACHABLE', '[]', NULL",
        "1, 'SCHEDULE', 120003, 120090, 'UNCHANGED', 123, 1, 4, NULL, NULL, '[]', NULL",
        "1, 'SCHEDULE', 180001, 180200, 'UNCHANGED', 140, 1, 4, NULL, NULL, '[]', NULL",
        "1, 'SCHEDULE', 240000, 240100, 'UNCHANGED', 123, 1, 4, NULL, NULL, '[\"vanished: a\"]', NULL",
        "1, 'RETRY', 300000, 300500, 'FAILED', 7, NULL, NULL, 'refused', 'REFUSED', '[]', NULL",
        "1, 'SCHEDULE', 360000, 360090, 'UNCHANGED', 123, 1, 4, NULL, NULL, '[]', NULL",
        "1, 'SCHEDULE', 420000, NULL, 'RUNNING', 0, NULL, NULL, NULL, NULL, '[]', NULL"
    };

    /**
     * Two targets, an archive and runs of every kind, as a catalog before execution ranges holds them: the
     * first target's UNCHANGED runs make ranges of 3 (broken by a warning), 1 and 1 (after a failure).
     */
    static void insertRunsBeforeRanges(Statement s) throws java.sql.SQLException {
        s.execute("INSERT INTO targets (node, port, path, every_seconds, registered_at) "
                + "VALUES ('127.0.0.2', 7071, '/srv/app', 60, 0), ('127.0.0.3', 7071, '/srv/db', 60, 0)");
        s.execute("INSERT INTO archives (target_id, created_at, size_bytes, files, sha256, digest, file_name) "
                + "VALUES (1, 1000, 10, 4, 'ab', 'cd', '1.tgz')");
        for (String row : RUNS) {
            s.execute("INSERT INTO executions (target_id, trigger, started_at, finished_at, outcome, bytes_received,"
                    + " archive_id, files, error, failure_kind, warnings, transfer) VALUES (" + row + ")");
        }
    }
}
