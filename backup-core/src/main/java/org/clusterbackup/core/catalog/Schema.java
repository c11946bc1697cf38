package org.clusterbackup.core.catalog;

import java.util.List;

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
                    )"""));

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    private Schema() {
    }
}
