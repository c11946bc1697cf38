package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.catalog.CatalogException;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.server.RunHooks;
import org.clusterbackup.core.server.RunningServer;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 4: with the data dir full, {@code backupctl run} exits 5 and says "disk full"; it never
 * prints the previous STORED run as if it were this one.
 */
class CtlFullDiskTest {
    @TempDir
    Path dir;

    private BackupServer server;
    private BackupAgent agent;
    private CtlRunner ctl;
    private Path app;
    private volatile RunHooks.Record fullAt;

    /** Fails the chosen catalog write with the exception the catalog raises when SQLite reports a full disk. */
    private final RunHooks hooks = new RunHooks() {
        @Override
        public void beforeRecord(long targetId, RunHooks.Record step) {
            if (step == fullAt) {
                throw new CatalogException("catalog " + dir.resolve("data/catalog.db")
                        + ": [SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
            }
        }
    };

    @BeforeEach
    void start() throws IOException {
        Path allowed = Files.createDirectories(dir.resolve("srv"));
        app = Files.createDirectories(allowed.resolve("app"));
        Files.writeString(app.resolve("data.txt"), "hello\n");
        agent = BackupAgent.start(AgentSettings.of(
                        new InetSocketAddress("127.0.0.2", 0), List.of(allowed), dir.resolve("state"), List.of())
                .withTrustedServers(List.of(BackupServer.identityOf(dir.resolve("data")))));
        server = RunningServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve("data"))
                        .withFirstRunDelay(Duration.ofHours(1)),
                Clock.systemUTC(),
                ArchiveStore.WriteHook.NONE,
                hooks);
        ctl = new CtlRunner(
                server, Map.of("BACKUP_SERVER", "127.0.0.1:" + server.address().getPort()));
        CtlRunner.Result r = ctl.run(
                "register",
                "--node",
                "127.0.0.2",
                "--port",
                Integer.toString(agent.address().getPort()),
                "--path",
                app.toString(),
                "--every",
                "1h");
        assertEquals(0, r.exit(), r.toString());
        CtlRunner.Result first = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString());
        assertEquals(0, first.exit(), first.toString());
        Files.writeString(app.resolve("data.txt"), "changed\n");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        agent.close();
    }

    @Test
    void aRunThatCannotEvenBeLoggedExitsFiveAndNeverPrintsThePreviousRun() throws Exception {
        fullAt = RunHooks.Record.START;
        CtlRunner.Result run = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json");
        assertEquals(5, run.exit(), run.toString());
        assertEquals("", run.out(), "nothing may be printed as this run's execution");
        assertTrue(run.err().contains("disk full"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void aStoredRunWhoseCommitFailsIsLoggedAsItsOwnFailedExecution() throws Exception {
        fullAt = RunHooks.Record.FINISH;
        CtlRunner.Result run = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json");
        assertEquals(5, run.exit(), run.toString());
        assertTrue(run.err().contains("disk full"), run.err());
        fullAt = null;
        JsonNode log = Json.mapper().readTree(ctl.run("log", "--json").out());
        assertEquals(2, log.size(), log.toString());
        assertEquals("FAILED", log.get(0).get("outcome").asText());
        assertTrue(log.get(0).get("error").asText().contains("disk full"), log.toString());
        assertEquals("STORED", log.get(1).get("outcome").asText());
        assertFalse(log.get(0).get("id").equals(log.get(1).get("id")));
    }
}
