package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever keeps a server from starting reaches its caller as one kind of failure, and frees the data dir. */
class ServerStartTest {
    @TempDir
    Path dataDir;

    @Test
    void aCatalogThatIsNotADatabaseIsAStartFailureAndLeavesTheDataDirFree() throws IOException {
        Path catalog = dataDir.resolve("catalog.db");
        Files.writeString(catalog, "not a database\n".repeat(300));
        ServerSettings settings = new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir);

        IOException e = assertThrows(IOException.class, () -> BackupServer.start(settings, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("catalog"), e.getMessage());

        Files.delete(catalog);
        BackupServer.start(settings, Clock.systemUTC()).close();
    }
}
