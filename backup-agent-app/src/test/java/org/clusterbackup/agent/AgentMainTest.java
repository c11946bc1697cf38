package org.clusterbackup.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.clusterbackup.core.cli.Cli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flag errors of backup-agent are usage errors (exit 2) found before anything starts. */
class AgentMainTest {
    @ParameterizedTest
    @CsvSource({"--threads,0", "--threads,65", "--threads,-1", "--threads,x", "--listen,nowhere", "--bogus,x"})
    void badFlagsExit2(String flag, String value) {
        assertEquals(Cli.EXIT_USAGE, Cli.run(new AgentMain(), flag, value, "--state-dir", "target/never-created"));
    }
}
