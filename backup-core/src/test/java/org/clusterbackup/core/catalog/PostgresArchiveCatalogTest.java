package org.clusterbackup.core.catalog;

import java.time.Clock;

/** Every test of {@link ArchiveCatalogTest}, on a PostgreSQL catalog. */
class PostgresArchiveCatalogTest extends ArchiveCatalogTest {
    @Override
    Catalog newCatalog(Clock clock) {
        return TestPostgres.catalog(TestPostgres.freshDatabase(), clock);
    }
}
