package org.clusterbackup.core.catalog;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Where a server keeps its catalog and security store: SQLite files in its data dir (the default, for one
 * server), or a PostgreSQL database that several servers share ({@link PostgresLocation}).
 */
public sealed interface CatalogLocation permits CatalogLocation.DataDir, PostgresLocation {
    /** {@code DATA_DIR/catalog.db} and {@code DATA_DIR/security.db}. */
    CatalogLocation DATA_DIR = new DataDir();

    /**
     * Opens both stores, creating or migrating their schema as needed.
     *
     * @throws CatalogException a store cannot be opened or holds a schema newer than this program's
     */
    Catalogs open(Path dataDir, Clock clock);

    /** The SQLite files in the server's data dir. */
    record DataDir() implements CatalogLocation {
        @Override
        public Catalogs open(Path dataDir, Clock clock) {
            Catalog catalog = Catalog.open(dataDir.resolve("catalog.db"), clock);
            try {
                return new Catalogs(catalog, SecurityCatalog.open(dataDir, clock));
            } catch (RuntimeException e) {
                catalog.close();
                throw e;
            }
        }
    }
}
