package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Brings a shared PostgreSQL catalog's schema up to date, once however many servers start together.
 * Each server takes the same advisory lock first ({@code pg_advisory_xact_lock}, the transaction-scoped
 * form of {@code pg_advisory_lock}) and only then reads the version: the first one migrates, the others
 * wait on the lock and find the schema current. The lock and the migrations are one transaction —
 * PostgreSQL's DDL is transactional — so a server killed mid-migration leaves the old schema, not half a new
 * one, and the lock goes with its connection.
 *
 * <p>The version is the one row of {@code schema_version}, as {@code PRAGMA user_version} is for SQLite.
 */
final class PostgresMigrations {
    /** The advisory lock's key: any fixed number no other program on the database uses ("BACKUP01" in ASCII). */
    static final long LOCK = 0x4241_434B_5550_3031L;

    private static final System.Logger LOG = System.getLogger(PostgresMigrations.class.getName());

    private final Database database;
    private final String name;
    private final List<List<String>> migrations;
    private final Map<Integer, MigrationStep> steps;
    private final PostgresDatabase.MigrationHook hook;

    PostgresMigrations(
            Database database,
            String name,
            List<List<String>> migrations,
            Map<Integer, MigrationStep> steps,
            PostgresDatabase.MigrationHook hook) {
        this.database = database;
        this.name = name;
        this.migrations = migrations;
        this.steps = steps;
        this.hook = hook;
    }

    /** @throws CatalogException the database holds a schema newer than this program's */
    void migrate() {
        try {
            database.<Void, InterruptedException>write(db -> {
                try (Statement s = db.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                    s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                            + "id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
                    s.execute("INSERT INTO schema_version (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING");
                }
                int found = version(db);
                hook.locked(found);
                apply(db, found);
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException(name + ": interrupted while migrating the schema", e);
        }
    }

    private void apply(Connection db, int found) throws SQLException {
        int latest = migrations.size();
        if (found > latest) {
            throw new CatalogException(name + " has schema version " + found + ", newer than this program's " + latest
                    + "; run a newer backup-server");
        }
        for (int v = found + 1; v <= latest; v++) {
            try (Statement s = db.createStatement()) {
                for (String sql : migrations.get(v - 1)) {
                    s.execute(sql);
                }
            }
            MigrationStep step = steps.get(v);
            if (step != null) {
                step.apply(db);
            }
            Rows.update(db, "UPDATE schema_version SET version = ? WHERE id = 1", v);
            LOG.log(System.Logger.Level.INFO, "{0}: migrated schema to version {1}", name, v);
        }
    }

    static int version(Connection db) throws SQLException {
        return Rows.first(db, "SELECT version FROM schema_version WHERE id = 1", r -> r.getInt("version"))
                .orElse(0);
    }
}
