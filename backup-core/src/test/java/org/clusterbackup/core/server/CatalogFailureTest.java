package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.RemoteErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 13: a catalog the server cannot write is an operator's problem, answered as such, not INTERNAL. */
class CatalogFailureTest {
    @TempDir
    Path dir;

    @Test
    void aCatalogLockedByAnotherProcessIsAFailureNotAnInternalError() throws Exception {
        try (Pipeline p = new Pipeline(dir)) {
            p.startServer();
            // Another program holds the catalog's write lock past the server's busy timeout: real SQLite.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + p.dataDir.resolve("catalog.db"));
                    Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                RemoteErrorException e = assertThrows(
                        RemoteErrorException.class, () -> p.client.register("127.0.0.2", 7071, "/srv/app", 3600));
                assertEquals(ErrorCode.FAILED, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("catalog"), e.getMessage());
                s.execute("ROLLBACK");
            }
            p.client.register("127.0.0.2", 7071, "/srv/app", 3600); // and once it is free again, it works
        }
    }
}
