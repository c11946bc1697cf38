package org.clusterbackup.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.clusterbackup.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flag errors of backup-server are usage errors (exit 2) found before anything starts. */
class ServerMainTest {
    @ParameterizedTest
    @CsvSource({
        "--retry-initial,5",
        "--retry-initial,0s",
        "--retry-max,1d",
        "--listen,nowhere",
        "--keep,0",
        "--max-concurrent,0",
        "--bogus,x",
        "--compression-level,0",
        "--compression-level,10",
        "--compression-level,x",
        "--run-timeout,6",
        "--stall-timeout,0m",
        "--send-timeout,1d",
        "--max-archive-size,10T",
        "--max-archive-size,-1",
        "--max-archive-size,1.5G",
        "--lease,500ms",
        "--lease,0s",
        "--lease,x",
        "--name,' '"
    })
    void badFlagsExit2(String flag, String value) {
        assertEquals(Cli.EXIT_USAGE, Cli.run(new ServerMain(), flag, value, "--data-dir", "target/never-created"));
    }

    @ParameterizedTest
    @CsvSource({"10s,5s"})
    void aRetryMaxBelowTheInitialWaitExits2(String initial, String max) {
        assertEquals(
                Cli.EXIT_USAGE,
                Cli.run(
                        new ServerMain(),
                        "--retry-initial",
                        initial,
                        "--retry-max",
                        max,
                        "--data-dir",
                        "target/never-created"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--catalog jdbc:sqlite:/tmp/catalog.db --catalog-user backup",
                "--catalog postgresql://127.0.0.1:5432/backup --catalog-user backup",
                "--catalog jdbc:postgresql://127.0.0.1:5432/backup",
                "--catalog-user backup"
            })
    void aCatalogThatIsNotAPostgresUrlWithItsUserExits2(String flags) {
        String[] args = (flags + " --data-dir target/never-created").split(" ");
        assertEquals(Cli.EXIT_USAGE, Cli.run(new ServerMain(), args));
    }

    @Test
    void anUnreachableCatalogDatabaseStopsTheStartWithExit1(@TempDir Path dir) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertEquals(
                Cli.EXIT_START_FAILED,
                Cli.run(
                        new ServerMain(),
                        "--listen",
                        "127.0.0.1:0",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--catalog",
                        "jdbc:postgresql://127.0.0.1:" + closedPort + "/backup",
                        "--catalog-user",
                        "backup"));
    }
}
