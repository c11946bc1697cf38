package org.clusterbackup.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.server.ctl.CtlMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** backup-server and backupctl answer --version with the product and its version, and start nothing. */
class VersionTest {
    @Test
    void bothProgramsPrintTheProductAndItsVersion() {
        for (CommandLine cl : List.of(new CommandLine(new ServerMain()), CtlMain.commandLine(new CtlMain(Map.of())))) {
            Cli.configure(cl);
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            assertEquals(Cli.EXIT_OK, cl.execute("--version"), cl.getCommandName());
            assertTrue(out.toString().matches("Cluster Backup .+\\R"), cl.getCommandName() + ": " + out);
        }
    }
}
