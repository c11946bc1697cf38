package org.clusterbackup.core.catalog;

import org.junit.jupiter.api.BeforeEach;

/** Every test of {@link SecurityCatalogTest}, on the security tables of a PostgreSQL catalog. */
class PostgresSecurityCatalogTest extends SecurityCatalogTest {
    private PostgresLocation location;

    @BeforeEach
    void freshDatabase() {
        location = TestPostgres.freshDatabase();
    }

    @Override
    SecurityCatalog open() {
        return TestPostgres.security(location, clock);
    }
}
