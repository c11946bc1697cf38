package org.clusterbackup.core.catalog;

import java.nio.file.Path;
import java.time.Instant;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh SQLite catalog in a temp dir for each test, a clock the test moves, and one registered target. */
abstract class CatalogFixture {
    static final Instant T0 = Instant.parse("2026-03-04T05:06:07.089Z");

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(T0);
    Catalog catalog;
    Target target;

    @BeforeEach
    void openCatalog() {
        catalog = Catalog.open(dir.resolve("catalog.db"), clock);
        target = catalog.register("127.0.0.2", 7071, "/srv/app", 300);
    }

    @AfterEach
    void closeCatalog() {
        catalog.close();
    }
}
