package org.clusterbackup.core.catalog;

import java.time.Clock;

/** Every test of {@link ExecutionRangesTest}, on a PostgreSQL catalog. */
class PostgresExecutionRangesTest extends ExecutionRangesTest {
    @Override
    Catalog newCatalog(Clock clock) {
        return TestPostgres.catalog(TestPostgres.freshDatabase(), clock);
    }
}
