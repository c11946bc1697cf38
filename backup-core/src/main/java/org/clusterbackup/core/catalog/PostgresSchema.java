package org.clusterbackup.core.catalog;

import java.util.List;
import java.util.Map;

/**
 * The schema of a PostgreSQL catalog as forward migrations, versioned as {@link Schema} is for SQLite:
 * migration {@code n} (1-based) takes {@code schema_version} from {@code n - 1} to {@code n}, and released
 * migrations are never edited. Version 1 is the SQLite catalog at its version 5 plus the security store
 * (pins, tokens, audit), which several servers must share too; version 2 adds the servers and their claims,
 * version 3 the run requests one server passes to the holder of a target, version 4 execution ranges,
 * version 5 the compact digests and the range indexes of SQLite's version 7, version 6 the targets' change cursor,
 * version 7 the open and sealed ranges of SQLite's version 9.
 *
 * <p>Columns keep SQLite's shapes so that one row mapping serves both: times are epoch milliseconds in a
 * {@code BIGINT}, flags are 0 or 1, warnings a JSON array in {@code TEXT}. Ids come from identity columns,
 * which, like SQLite's AUTOINCREMENT, never hand out an id twice.
 */
final class PostgresSchema {
    static final List<List<String>> MIGRATIONS = List.of(
            // 1: the catalog and the security store
            List.of(
                    """
                    CREATE TABLE targets (
                        id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        node          TEXT    NOT NULL,
                        port          INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
                        path          TEXT    NOT NULL,
                        every_seconds BIGINT  NOT NULL CHECK (every_seconds > 0),
                        registered_at BIGINT  NOT NULL,
                        active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                        UNIQUE (node, path, port)
                    )""",
                    """
                    CREATE TABLE archives (
                        id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        target_id    BIGINT  NOT NULL REFERENCES targets (id),
                        created_at   BIGINT  NOT NULL,
                        size_bytes   BIGINT  NOT NULL CHECK (size_bytes >= 0),
                        files        INTEGER NOT NULL CHECK (files >= 0),
                        sha256       TEXT    NOT NULL,
                        digest       TEXT    NOT NULL,
                        file_name    TEXT    NOT NULL,
                        pruned_at    BIGINT,
                        corrupt      INTEGER NOT NULL DEFAULT 0 CHECK (corrupt IN (0, 1)),
                        index_sha256 TEXT
                    )""",
                    "CREATE INDEX archives_by_target ON archives (target_id, id)",
                    """
                    CREATE TABLE executions (
                        id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        target_id      BIGINT  NOT NULL REFERENCES targets (id),
                        trigger        TEXT    NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULE', 'RETRY')),
                        started_at     BIGINT  NOT NULL,
                        finished_at    BIGINT,
                        outcome        TEXT    NOT NULL
                                       CHECK (outcome IN ('RUNNING', 'STORED', 'UNCHANGED', 'FAILED')),
                        bytes_received BIGINT  NOT NULL DEFAULT 0,
                        archive_id     BIGINT  REFERENCES archives (id),
                        files          INTEGER,
                        error          TEXT,
                        failure_kind   TEXT CHECK (failure_kind IN ('UNREACHABLE', 'REFUSED', 'IDENTITY', 'OTHER')),
                        warnings       TEXT    NOT NULL DEFAULT '[]',
                        transfer       TEXT CHECK (transfer IN ('FULL', 'DELTA', 'BLOCKS'))
                    )""",
                    "CREATE INDEX executions_by_target ON executions (target_id, id)",
                    // start-up closes the RUNNING rows; the partial index keeps that a lookup at any history size
                    "CREATE INDEX executions_running ON executions (id) WHERE outcome = 'RUNNING'",
                    """
                    CREATE TABLE agent_pins (
                        node        TEXT    NOT NULL,
                        port        INTEGER NOT NULL,
                        fingerprint TEXT    NOT NULL,
                        pinned_at   BIGINT  NOT NULL,
                        source      TEXT    NOT NULL CHECK (source IN ('REGISTER', 'FIRST_CONTACT', 'TRUST')),
                        PRIMARY KEY (node, port)
                    )""",
                    """
                    CREATE TABLE tokens (
                        name         TEXT    PRIMARY KEY,
                        role         TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
                        hash         TEXT    NOT NULL UNIQUE,
                        created_at   BIGINT  NOT NULL,
                        last_used_at BIGINT,
                        revoked_at   BIGINT
                    )""",
                    """
                    CREATE TABLE audit (
                        id         BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        at         BIGINT  NOT NULL,
                        token_name TEXT,
                        peer       TEXT    NOT NULL,
                        action     TEXT    NOT NULL,
                        params     TEXT    NOT NULL,
                        ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
                        error      TEXT
                    )"""),
            // 2: claims (several servers): who is alive, and which server holds which target until when. Times
            // are the database's clock, so the servers' own clocks may disagree without effect.
            List.of("""
                    CREATE TABLE servers (
                        name         TEXT   PRIMARY KEY,
                        address      TEXT   NOT NULL,
                        heartbeat_at BIGINT NOT NULL,
                        lease_until  BIGINT NOT NULL
                    )""", """
                    CREATE TABLE claims (
                        target_id   BIGINT PRIMARY KEY REFERENCES targets (id),
                        server      TEXT   NOT NULL,
                        lease_until BIGINT NOT NULL,
                        -- grows by one each time the target changes hands: which holding a claim is
                        fence       BIGINT NOT NULL
                    )""", "CREATE INDEX claims_by_server ON claims (server)"),
            // 3: manual runs asked of one server for a target another one holds (RunRequests): the holder takes
            // them, runs the target and answers with its execution.
            List.of(
                    """
                    CREATE TABLE run_requests (
                        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        target_id    BIGINT NOT NULL REFERENCES targets (id),
                        -- the process that asked, and the server (name and process) that took it
                        asked_by     TEXT   NOT NULL,
                        asked_at     BIGINT NOT NULL,
                        taken_by     TEXT,
                        taken_as     TEXT,
                        answered_at  BIGINT,
                        execution_id BIGINT,
                        error        TEXT
                    )""",
                    "CREATE INDEX run_requests_open ON run_requests (target_id) WHERE answered_at IS NULL",
                    "CREATE INDEX run_requests_by_asker ON run_requests (asked_by)"),
            // 4: execution ranges, as SQLite's version 6 (the existing UNCHANGED rows moved by RangeConversion)
            List.of(
                    """
                    CREATE TABLE execution_ranges (
                        first_id        BIGINT  PRIMARY KEY,
                        target_id       BIGINT  NOT NULL REFERENCES targets (id),
                        last_id         BIGINT  NOT NULL,
                        runs            INTEGER NOT NULL CHECK (runs > 0),
                        trigger         TEXT    NOT NULL CHECK (trigger IN ('MANUAL', 'SCHEDULE', 'RETRY')),
                        archive_id      BIGINT  REFERENCES archives (id),
                        files           INTEGER,
                        warnings        TEXT    NOT NULL DEFAULT '[]',
                        min_started_at  BIGINT  NOT NULL,
                        max_started_at  BIGINT  NOT NULL,
                        max_finished_at BIGINT  NOT NULL,
                        runs_data       BYTEA   NOT NULL
                    )""",
                    "CREATE INDEX execution_ranges_by_target ON execution_ranges (target_id, last_id)",
                    "CREATE INDEX execution_ranges_by_last ON execution_ranges (last_id)",
                    "CREATE INDEX execution_ranges_success ON execution_ranges (target_id, max_finished_at)"),
            // 5: as SQLite's version 7 (digests as 32 bytes, span levels, indexes by start); the digests become
            // BYTEA of their text here, and CompactCatalog rewrites them in the form of DigestColumn
            List.of(
                    "ALTER TABLE archives ALTER COLUMN sha256 TYPE BYTEA USING convert_to(sha256, 'UTF8'),"
                            + " ALTER COLUMN digest TYPE BYTEA USING convert_to(digest, 'UTF8'),"
                            + " ALTER COLUMN index_sha256 TYPE BYTEA USING convert_to(index_sha256, 'UTF8')",
                    "ALTER TABLE execution_ranges ADD COLUMN span_level INTEGER NOT NULL DEFAULT 0",
                    "DROP INDEX execution_ranges_by_last",
                    "CREATE INDEX execution_ranges_by_span ON execution_ranges (span_level, first_id)",
                    "CREATE INDEX execution_ranges_by_start ON execution_ranges (max_started_at)",
                    "CREATE INDEX executions_by_start ON executions (started_at)",
                    SqliteArchives.SHORTEN_USUAL_NAMES),
            // 6: the targets' change cursor, as SQLite's version 8. The counter is one row so that its row lock,
            // held from a change's stamp to its commit, makes commit order the order of the stamps: a reader
            // never sees a stamp while a smaller one is still uncommitted, so a cursor skips nothing.
            List.of(
                    "ALTER TABLE targets ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0",
                    "CREATE INDEX targets_by_change ON targets (change_seq, id)",
                    """
                    CREATE TABLE target_changes (
                        id  INTEGER PRIMARY KEY CHECK (id = 1),
                        seq BIGINT  NOT NULL
                    )""",
                    "INSERT INTO target_changes (id, seq) VALUES (1, 0)"),
            // 7: open and sealed ranges, as SQLite's version 9 (RangeSealing moves the ranges and renames the table)
            Schema.rangesV9("BIGINT", "BYTEA"));

    /** Java steps of migrations, by version. */
    static final Map<Integer, MigrationStep> STEPS =
            Map.of(4, RangeConversion::convert, 5, CompactCatalog::convert, 7, RangeSealing::convert);

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    private PostgresSchema() {}
}
