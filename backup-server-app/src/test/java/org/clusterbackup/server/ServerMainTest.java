package org.clusterbackup.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.clusterbackup.cli.Cli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flag errors of backup-server are usage errors (exit 2) found before anything starts. */
class ServerMainTest {
    @ParameterizedTest
    @CsvSource({"--retry-initial,5", "--retry-initial,0s", "--retry-max,1d", "--listen,nowhere", "--keep,0",
            "--max-concurrent,0", "--bogus,x", "--compression-level,0", "--compression-level,10", "--compression-level,x",
            "--run-timeout,6", "--stall-timeout,0m", "--send-timeout,1d",
            "--max-archive-size,10T", "--max-archive-size,-1", "--max-archive-size,1.5G"})
    void badFlagsExit2(String flag, String value) {
        assertEquals(Cli.EXIT_USAGE, Cli.run(new ServerMain(), flag, value, "--data-dir", "target/never-created"));
    }

    @ParameterizedTest
    @CsvSource({"10s,5s"})
    void aRetryMaxBelowTheInitialWaitExits2(String initial, String max) {
        assertEquals(Cli.EXIT_USAGE, Cli.run(new ServerMain(), "--retry-initial", initial, "--retry-max", max,
                "--data-dir", "target/never-created"));
    }
}
