package org.clusterbackup.core.catalog;

import java.util.List;
import java.util.Map;

/**
 * The catalog schema as a list of forward migrations. Migration {@code n} (1-based) takes a database at
 * {@code PRAGMA user_version = n - 1} to {@code n}. Released migrations are never edited: a change is a
 * new migration at the end.
 */
final class Schema {
    static final List<List<String>> MIGRATIONS = List.of(
            // 1: the registry of targets
            List.of("""
                    CREATE TABLE targets (
                        -- AUTOINCREMENT: an id is never reused, even after the highest row goes
                        id            INTEGER PRIMARY KEY AUTOINCREMENT,
                        node          TEXT    NOT NULL,
                        port          INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
                        path          TEXT    NOT NULL,
                        every_seconds INTEGER NOT NULL CHECK (every_seconds > 0),
                        registered_at INTEGER NOT NULL, -- epoch milliseconds, UTC
                        active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                        -- (node, path) first: the index also serves lookups without a port
                        UNIQUE (node, path, port)
                    )"""),
            // 2: stored archives and the execution log
            List.of(
                    """
                    CREATE TABLE archives (
                        id          INTEGER PRIMARY KEY AUTOINCREMENT,
                        target_id   INTEGER NOT NULL REFERENCES targets (id),
                        created_at  INTEGER NOT NULL,
                        size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
                        files       INTEGER NOT NULL CHECK (files >= 0),
                        sha256      TEXT    NOT NULL,
                        digest      TEXT    NOT NULL, -- tree digest of the archived content
                        file_name   TEXT    NOT NULL, -- relative to the data dir
                        pruned_at   INTEGER,          -- set when retention deleted the file; the row stays
                        corrupt     INTEGER NOT NULL DEFAULT 0 CHECK (corrupt IN (0, 1))
                    )""",
                    "CREATE INDEX archives_by_target ON archives (target_id, id)",
                    """
                    CREATE TABLE executions (
                        id             INTEGER PRIMARY KEY AUTOINCREMENT,
                        target_id      INTEGER NOT NULL REFERENCES targets (id),
                        trigger        TEXT    NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULE', 'RETRY')),
                        started_at     INTEGER NOT NULL,
                        finished_at    INTEGER,
                        outcome        TEXT    NOT NULL
                                       CHECK (outcome IN ('RUNNING', 'STORED', 'UNCHANGED', 'FAILED')),
                        bytes_received INTEGER NOT NULL DEFAULT 0,
                        archive_id     INTEGER REFERENCES archives (id),
                        files          INTEGER,
                        error          TEXT,
                        -- why a FAILED run failed: UNREACHABLE (retry when the node answers), REFUSED, OTHER
                        failure_kind   TEXT CHECK (failure_kind IN ('UNREACHABLE', 'REFUSED', 'OTHER')),
                        warnings       TEXT    NOT NULL DEFAULT '[]' -- JSON array of strings
                    )""",
                    "CREATE INDEX executions_by_target ON executions (target_id, id)"),
            // 3: indexed archives: the SHA-256 of the archive's .idx file, NULL for an archive stored before
            // archives were indexed (it has none)
            List.of("ALTER TABLE archives ADD COLUMN index_sha256 TEXT"),
            // 4: a FAILED run may fail on an agent's identity (security). SQLite cannot change a CHECK in
            // place, so the table is rebuilt with the same columns and rows.
            List.of(
                    """
                    CREATE TABLE executions_v3 (
                        id             INTEGER PRIMARY KEY AUTOINCREMENT,
                        target_id      INTEGER NOT NULL REFERENCES targets (id),
                        trigger        TEXT    NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULE', 'RETRY')),
                        started_at     INTEGER NOT NULL,
                        finished_at    INTEGER,
                        outcome        TEXT    NOT NULL
                                       CHECK (outcome IN ('RUNNING', 'STORED', 'UNCHANGED', 'FAILED')),
                        bytes_received INTEGER NOT NULL DEFAULT 0,
                        archive_id     INTEGER REFERENCES archives (id),
                        files          INTEGER,
                        error          TEXT,
                        failure_kind   TEXT CHECK (failure_kind IN ('UNREACHABLE', 'REFUSED', 'IDENTITY', 'OTHER')),
                        warnings       TEXT    NOT NULL DEFAULT '[]'
                    )""",
                    "INSERT INTO executions_v3 SELECT * FROM executions",
                    "DROP TABLE executions",
                    "ALTER TABLE executions_v3 RENAME TO executions",
                    "CREATE INDEX executions_by_target ON executions (target_id, id)"),
            // 5: how a STORED run's archive came: FULL (the agent sent it whole) or DELTA (the server built it
            // from the previous archive and the changes); NULL for other outcomes and older runs
            List.of("ALTER TABLE executions ADD COLUMN transfer TEXT CHECK (transfer IN ('FULL', 'DELTA', 'BLOCKS'))"),
            // 6: consecutive UNCHANGED runs of a target kept as one row (ExecutionRanges); the existing UNCHANGED
            // rows are moved there by RangeConversion, the step of this version
            List.of(
                    """
                    CREATE TABLE execution_ranges (
                        -- the id of its first run: ids come from executions, a range owns the ids of its runs
                        first_id        INTEGER PRIMARY KEY,
                        target_id       INTEGER NOT NULL REFERENCES targets (id),
                        last_id         INTEGER NOT NULL,
                        runs            INTEGER NOT NULL CHECK (runs > 0),
                        trigger         TEXT    NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULE', 'RETRY')),
                        archive_id      INTEGER REFERENCES archives (id),
                        files           INTEGER,
                        warnings        TEXT    NOT NULL DEFAULT '[]',
                        min_started_at  INTEGER NOT NULL,
                        max_started_at  INTEGER NOT NULL,
                        max_finished_at INTEGER NOT NULL,
                        runs_data       BLOB    NOT NULL -- ids, starts, ends, bytes of each run (RangeRuns)
                    )""",
                    "CREATE INDEX execution_ranges_by_target ON execution_ranges (target_id, last_id)",
                    "CREATE INDEX execution_ranges_by_last ON execution_ranges (last_id)",
                    "CREATE INDEX execution_ranges_success ON execution_ranges (target_id, max_finished_at)"),
            // 7: a smaller catalog, and deep pages and time bounds through indexes (docs/STORAGE.md): the three
            // digests of archives as 32 bytes (DigestColumn; rewritten by DigestConversion, the step of this
            // version; SQLite keeps a column's declared type, and a TEXT column holds blobs as they are); each
            // range's span level, indexed with its first id in place of the index on last_id (RangeWindows);
            // ranges by their newest start, executions by start.
            List.of(
                    "ALTER TABLE execution_ranges ADD COLUMN span_level INTEGER NOT NULL DEFAULT 0",
                    "DROP INDEX execution_ranges_by_last",
                    // first_id is the rowid, which every index entry ends with: (span_level) orders by both
                    "CREATE INDEX execution_ranges_by_span ON execution_ranges (span_level)",
                    "CREATE INDEX execution_ranges_by_start ON execution_ranges (max_started_at)",
                    "CREATE INDEX executions_by_start ON executions (started_at)",
                    SqliteArchives.SHORTEN_USUAL_NAMES),
            // 8: the targets' change cursor (TargetChangeLog): every change to what `list` shows of a target
            // stamps its row with the next value of the one-row counter; rows from before are at 0
            List.of(
                    "ALTER TABLE targets ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0",
                    "CREATE INDEX targets_by_change ON targets (change_seq, id)",
                    """
                    CREATE TABLE target_changes (
                        id  INTEGER PRIMARY KEY CHECK (id = 1),
                        seq INTEGER NOT NULL
                    )""",
                    "INSERT INTO target_changes (id, seq) VALUES (1, 0)"),
            // 9: ranges that keep their pages full (docs/STORAGE.md, "Open and sealed ranges"): each target's newest
            // range open in open_ranges, rewritten in place, and sealed ranges appended to a table in the order
            // they are sealed (its rowid; no key on first_id, so rows land at its end); runs_data Rice-coded
            // (RangeRuns). RangeSealing, the step of this version, moves the ranges and renames the new table.
            rangesV9("INTEGER", "BLOB"));

    /** Java steps of migrations, by version. */
    static final Map<Integer, MigrationStep> STEPS =
            Map.of(6, RangeConversion::convert, 7, CompactCatalog::convert, 9, RangeSealing::convert);

    /**
     * Migration 9 (PostgreSQL's 7, with its types): the sealed ranges' table under a new name (the step renames
     * it), the open ranges, one a target, which also keep the latest end of the target's ranged runs, and indexes.
     */
    static List<String> rangesV9(String integer, String blob) {
        String columns = """
                    first_id       %1$s NOT NULL,
                    last_id        %1$s NOT NULL,
                    span_level     INTEGER NOT NULL,
                    runs           INTEGER NOT NULL CHECK (runs > 0),
                    trigger        TEXT    NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULE', 'RETRY')),
                    archive_id     %1$s REFERENCES archives (id),
                    files          INTEGER,
                    warnings       TEXT    NOT NULL DEFAULT '[]',
                    min_started_at %1$s NOT NULL,
                    max_started_at %1$s NOT NULL,
                    runs_data      %2$s NOT NULL""".formatted(integer, blob);
        return List.of(
                // no key on first_id: rows are appended in the order ranges are sealed (SQLite: by rowid)
                "CREATE TABLE execution_ranges_v9 (\n    target_id %s NOT NULL REFERENCES targets (id),\n%s\n)"
                        .formatted(integer, columns),
                ("CREATE TABLE open_ranges (\n    target_id %s PRIMARY KEY REFERENCES targets (id),\n%s,\n"
                                // the latest end of any ranged run of the target, in this range or a sealed one
                                + "    success_at %s NOT NULL\n)")
                        .formatted(integer, columns, integer),
                "CREATE INDEX ranges_by_target ON execution_ranges_v9 (target_id, last_id)",
                "CREATE INDEX ranges_by_span ON execution_ranges_v9 (span_level, first_id)",
                "CREATE INDEX ranges_by_start ON execution_ranges_v9 (max_started_at)",
                "CREATE INDEX open_ranges_by_span ON open_ranges (span_level, first_id)",
                "CREATE INDEX open_ranges_by_start ON open_ranges (max_started_at)");
    }

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    private Schema() {}
}
