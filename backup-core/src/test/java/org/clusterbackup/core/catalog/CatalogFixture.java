package org.clusterbackup.core.catalog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh catalog for each test, a clock the test moves, and one registered target: a SQLite file in a temp
 * dir here; the PostgreSQL subclasses of each test override {@link #newCatalog} and run the same tests.
 */
abstract class CatalogFixture {
    static final Instant T0 = Instant.parse("2026-03-04T05:06:07.089Z");

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(T0);
    Catalog catalog;
    Target target;

    @BeforeEach
    void openCatalog() {
        catalog = newCatalog(clock);
        target = catalog.register("127.0.0.2", 7071, "/srv/app", 300);
    }

    Catalog newCatalog(Clock clock) {
        return Catalog.open(dir.resolve("catalog.db"), clock);
    }

    @AfterEach
    void closeCatalog() {
        catalog.close();
    }
}
