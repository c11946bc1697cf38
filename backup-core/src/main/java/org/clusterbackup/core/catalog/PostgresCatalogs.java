package org.clusterbackup.core.catalog;

import java.io.IOException;
import java.sql.Statement;
import java.time.Clock;

/** Opens a PostgreSQL catalog: one pool, migrated once, serving both the catalog and the security store. */
final class PostgresCatalogs {
    private PostgresCatalogs() {}

    static Catalogs open(PostgresLocation location, Clock clock, PostgresDatabase.MigrationHook hook) {
        PostgresDatabase database = PostgresDatabase.open(location, PostgresSchema.MIGRATIONS, hook);
        SqliteCatalog catalog = new SqliteCatalog(database, clock);
        return new Catalogs(
                catalog,
                new SecurityCatalog(database.share(), clock),
                new PostgresClaims(database, catalog),
                new Catalogs.SetupLock() {
                    @Override
                    public <T> T locked(Catalogs.Setup<T> work) throws IOException {
                        return database.<T, IOException>write(db -> {
                            try (Statement s = db.createStatement()) {
                                s.execute("SELECT pg_advisory_xact_lock(" + PostgresMigrations.LOCK + ")");
                            }
                            return work.run();
                        });
                    }
                });
    }
}
