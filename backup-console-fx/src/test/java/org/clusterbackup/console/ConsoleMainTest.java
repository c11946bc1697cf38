package org.clusterbackup.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The launcher's flags: the server as backupctl finds it, and usage errors before any window opens. */
class ConsoleMainTest {
    private static ConsoleSettings settings(Map<String, String> env, String... args) {
        ConsoleMain main = new ConsoleMain(env);
        new CommandLine(main).parseArgs(args);
        return main.settings();
    }

    @Test
    void theServerComesFromTheFlagThenTheEnvironmentThenTheDefault() {
        Map<String, String> env = Map.of("BACKUP_SERVER", "10.0.0.5:7070");
        assertEquals(
                new HostPort("backup.example", 7000),
                settings(env, "--server", "backup.example:7000").server());
        assertEquals(new HostPort("10.0.0.5", 7070), settings(env).server());
        assertEquals(new HostPort("127.0.0.1", 7070), settings(Map.of()).server());
    }

    @Test
    void theRefreshIsADurationWithAUnitAndFiveSecondsByDefault() {
        assertEquals(Duration.ofSeconds(5), settings(Map.of()).refresh());
        assertEquals(
                Duration.ofMillis(500), settings(Map.of(), "--refresh", "500ms").refresh());
        assertThrows(InvalidInputException.class, () -> settings(Map.of(), "--refresh", "5"));
        IllegalArgumentException tooShort =
                assertThrows(IllegalArgumentException.class, () -> settings(Map.of(), "--refresh", "10ms"));
        assertEquals("refresh cannot be less than 100ms, was 10ms", tooShort.getMessage());
    }

    @Test
    void versionPrintsTheProductAndOpensNoWindow() {
        CommandLine cl = new CommandLine(new ConsoleMain(Map.of()));
        Cli.configure(cl);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(Cli.EXIT_OK, cl.execute("--version"));
        assertTrue(out.toString().startsWith("Cluster Backup "), out.toString());
    }

    @Test
    void aBadFlagIsAUsageErrorAndOpensNoWindow() {
        CommandLine cl = new CommandLine(new ConsoleMain(Map.of()));
        Cli.configure(cl);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(Cli.EXIT_USAGE, cl.execute("--serve", "x"));
        assertTrue(err.toString().contains("unknown option '--serve'"), err.toString());
    }
}
