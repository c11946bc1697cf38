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
            applyMigrations(s, 5);
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
                    Rows.all(raw, "SELECT runs FROM " + ALL_RANGES + " ORDER BY first_id", r -> r.getInt("runs")));
        }
    }

    /**
     * Version 6, digests in hex and ranges without span levels: the digests become 32 bytes (or keep their
     * text, whatever it is), every range is found again by the windows of the whole log, and both read the same.
     */
    @Test
    void aVersion6CatalogReadsTheSameWithCompactDigestsAndSpanLevels() throws Exception {
        List<Execution> before;
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                Statement s = raw.createStatement()) {
            applyMigrations(s, 5);
            insertRunsBeforeRanges(s);
            insertArchivesOfEveryDigestForm(s);
            before = Rows.all(raw, SqliteExecutions.SELECT + " ORDER BY e.id DESC", SqliteExecutions::execution);
            for (String sql : Schema.MIGRATIONS.get(5)) {
                s.execute(sql);
            }
            RangeConversion.convert(raw);
            s.execute("PRAGMA user_version = 6");
        }
        try (Catalog c = open()) {
            assertEquals(Schema.latestVersion(), c.schemaVersion());
            assertEquals(before, c.executions(ExecutionQuery.newest(null, 0)));
            assertEquals(
                    before.subList(3, 5),
                    c.executions(
                            ExecutionQuery.newest(null, 2).after(before.get(2).id())));
            assertArchivesOfEveryDigestForm(c);
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"))) {
            assertEquals(
                    List.of("blob:32"),
                    Rows.all(
                            raw,
                            "SELECT typeof(sha256) || ':' || length(sha256) AS t FROM archives WHERE id = 2",
                            r -> r.text("t")));
            assertEquals(
                    List.of(2L, 4L, 6L),
                    Rows.all(raw, "SELECT id FROM archives WHERE file_name = '' ORDER BY id", r -> r.getLong("id")));
            assertEquals(
                    List.of(2, 0, 0), // ids 2, 4, 5 (span 3); 6; 8
                    Rows.all(
                            raw,
                            "SELECT span_level FROM " + ALL_RANGES + " ORDER BY first_id",
                            r -> r.getInt("span_level")));
        }
    }

    /** Both tables of ranges, open and sealed, as one (since version 9). */
    static final String ALL_RANGES = "(SELECT first_id, runs, span_level FROM execution_ranges"
            + " UNION ALL SELECT first_id, runs, span_level FROM open_ranges) x";

    /**
     * Version 8, before open and sealed ranges, its runs deflated as that version wrote them: each target's
     * newest range becomes its open one, the others sealed, every range re-encoded, and the log, the list's
     * summary and the next run read and join as before.
     */
    @Test
    void aVersion8CatalogKeepsItsLogWithEachTargetsNewestRangeOpenAndTheOthersSealed() throws Exception {
        List<Execution> before;
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
                Statement s = raw.createStatement()) {
            applyMigrations(s, 5);
            insertRunsBeforeRanges(s);
            before = Rows.all(raw, SqliteExecutions.SELECT + " ORDER BY e.id DESC", SqliteExecutions::execution);
            for (int v = 6; v <= 8; v++) {
                for (String sql : Schema.MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
                if (Schema.STEPS.containsKey(v)) {
                    Schema.STEPS.get(v).apply(raw);
                }
            }
            s.execute("PRAGMA user_version = 8");
            deflateEveryRange(raw);
        }
        try (Catalog c = open();
                Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"))) {
            assertEquals(Schema.latestVersion(), c.schemaVersion());
            assertOpenAndSealedRanges(c, raw, before);
        }
    }

    /** Rewrites every range's runs (version 8's table) in the form versions before 9 wrote them. */
    static void deflateEveryRange(Connection raw) throws java.sql.SQLException {
        for (Object[] r : Rows.all(
                raw, "SELECT first_id, runs, min_started_at, runs_data FROM execution_ranges", r -> new Object[] {
                    r.getLong("first_id"), r.getInt("runs"), r.getLong("min_started_at"), r.bytes("runs_data")
                })) {
            RangeRuns runs = RangeRuns.decode((byte[]) r[3], (Long) r[0], (Integer) r[1], (Long) r[2]);
            Rows.update(
                    raw,
                    "UPDATE execution_ranges SET runs_data = ? WHERE first_id = ?",
                    DeflatedRuns.encode(runs),
                    r[0]);
        }
        assertEquals(
                List.of(0x78, 0x78, 0x78), // zlib
                Rows.all(raw, "SELECT runs_data FROM execution_ranges", r -> r.bytes("runs_data")[0] & 0xFF));
    }

    /**
     * After version 9 (PostgreSQL's 7), {@link #insertRunsBeforeRanges}'s runs: target 1's ranges 2–5 and 6
     * sealed, 8 open (its runs ended at 360,090 ms at the latest); the log, its pages, one target's log and
     * the summary read as before; then run 9 finishes UNCHANGED and joins the open range.
     */
    static void assertOpenAndSealedRanges(Catalog c, Connection raw, List<Execution> before) throws Exception {
        assertEquals(before, c.executions(ExecutionQuery.newest(null, 0)));
        assertEquals(
                before.subList(3, 6),
                c.executions(ExecutionQuery.newest(null, 3).after(before.get(2).id())));
        assertEquals(
                before.stream().filter(e -> e.targetId() == 1).toList(), c.executions(ExecutionQuery.newest(1L, 0)));
        assertEquals(
                List.of(List.of(1L, 8L, 360_090L)),
                Rows.all(
                        raw,
                        "SELECT target_id, first_id, success_at FROM open_ranges",
                        r -> List.of(r.getLong("target_id"), r.getLong("first_id"), r.getLong("success_at"))));
        assertEquals(
                List.of(2L, 6L),
                Rows.all(raw, "SELECT first_id FROM execution_ranges ORDER BY first_id", r -> r.getLong("first_id")));
        assertEquals(
                List.of((int) RangeRuns.FORMAT, (int) RangeRuns.FORMAT, (int) RangeRuns.FORMAT),
                Rows.all(raw, "SELECT runs_data FROM execution_ranges UNION ALL SELECT runs_data FROM open_ranges", r ->
                        (int) r.bytes("runs_data")[0]));
        RunSummary summary = c.runSummaries().get(1L);
        assertEquals(org.clusterbackup.core.model.Outcome.UNCHANGED, summary.lastOutcome());
        assertEquals(Instant.ofEpochMilli(360_090), summary.lastSuccessAt());
        assertEquals(9L, c.lastExecutions().get(1L).id()); // still RUNNING, a row
        Execution nine = c.finishUnchanged(9, c.archives(1).get(0), 123, List.of());
        assertEquals(List.of(nine), c.executions(ExecutionQuery.newest(1L, 1)));
        assertEquals(nine, c.lastExecutions().get(1L));
        assertEquals(
                List.of(List.of(8L, 2L)),
                Rows.all(
                        raw,
                        "SELECT first_id, runs FROM open_ranges",
                        r -> List.of(r.getLong("first_id"), (long) r.getInt("runs"))));
    }

    /** The SQL of migrations 1 to {@code version}, as that version of the catalog ran them. */
    private static void applyMigrations(Statement s, int version) throws java.sql.SQLException {
        for (List<String> migration : Schema.MIGRATIONS.subList(0, version)) {
            for (String sql : migration) {
                s.execute(sql);
            }
        }
    }

    /** Digests of every form a catalog may hold (archive 1 is {@link #insertRunsBeforeRanges}'s). */
    static final List<String> DIGESTS = List.of(
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
            "x".repeat(31),
            "y".repeat(32),
            "caf\u00e9 \u2014 not hex",
            "");

    static void insertArchivesOfEveryDigestForm(Statement s) throws java.sql.SQLException {
        for (int i = 0; i < DIGESTS.size(); i++) {
            String d = DIGESTS.get(i);
            String other = DIGESTS.get((i + 1) % DIGESTS.size());
            s.execute("INSERT INTO archives (target_id, created_at, size_bytes, files, sha256, digest, file_name,"
                    + " index_sha256) VALUES (2, 5, 10, 1, '" + d + "', '" + other + "', '" + fileName(i) + "', "
                    + (i % 2 == 0 ? "'" + d + "'" : "NULL") + ")");
        }
    }

    /** Archive {@code i}'s file name (its id is {@code i + 2}): every other one the name the store gives. */
    private static String fileName(int i) {
        return i % 2 == 0 ? "archives/2/" + (i + 2) + ".tgz" : "archives/2/other-" + i + ".tgz";
    }

    static void assertArchivesOfEveryDigestForm(Catalog c) {
        List<Archive> archives = c.archives(2);
        assertEquals(DIGESTS.size(), archives.size());
        for (int i = 0; i < DIGESTS.size(); i++) {
            Archive a = archives.get(DIGESTS.size() - 1 - i); // newest first
            assertEquals(DIGESTS.get(i), a.sha256());
            assertEquals(DIGESTS.get((i + 1) % DIGESTS.size()), a.digest());
            assertEquals(i % 2 == 0 ? DIGESTS.get(i) : null, a.indexSha256());
            assertEquals(fileName(i), a.fileName());
        }
        assertEquals("ab", c.archives(1).get(0).sha256());
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
