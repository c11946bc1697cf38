package org.clusterbackup.core.catalog;

import java.time.Clock;

/** Every test of {@link ExecutionLogTest}, on a PostgreSQL catalog. */
class PostgresExecutionLogTest extends ExecutionLogTest {
    @Override
    Catalog newCatalog(Clock clock) {
        return TestPostgres.catalog(TestPostgres.freshDatabase(), clock);
    }
}
