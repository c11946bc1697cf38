package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backupctl run, backups and log against a real server and agent on loopback. */
class CtlBackupCommandsTest {
    @TempDir
    Path dir;

    private BackupServer server;
    private BackupAgent agent;
    private CtlRunner ctl;
    private Path app;
    private Path restores;
    private String agentPort;

    @BeforeEach
    void start() throws IOException {
        Path allowed = Files.createDirectories(dir.resolve("srv"));
        app = Files.createDirectories(allowed.resolve("app"));
        Files.writeString(app.resolve("data.txt"), "hello\n");
        restores = Files.createDirectories(dir.resolve("restores"));
        agent = BackupAgent.start(AgentSettings.of(
                        new InetSocketAddress("127.0.0.2", 0),
                        List.of(allowed),
                        dir.resolve("state"),
                        List.of(restores))
                .withTrustedServers(List.of(BackupServer.identityOf(dir.resolve("data")))));
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve("data"))
                        .withFirstRunDelay(java.time.Duration.ofHours(1)),
                Clock.systemUTC());
        ctl = new CtlRunner(
                server, Map.of("BACKUP_SERVER", "127.0.0.1:" + server.address().getPort()));
        agentPort = Integer.toString(agent.address().getPort());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        agent.close();
    }

    private void register(Path path) {
        CtlRunner.Result r = ctl.run(
                "register", "--node", "127.0.0.2", "--port", agentPort, "--path", path.toString(), "--every", "1h");
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void runPrintsTheExecutionAndBackupsAndLogShowIt() throws Exception {
        register(app);
        CtlRunner.Result run = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        JsonNode e = Json.mapper().readTree(run.out());
        assertEquals("STORED", e.get("outcome").asText());
        assertEquals(
                List.of(
                        "id",
                        "targetId",
                        "node",
                        "port",
                        "path",
                        "startedAt",
                        "finishedAt",
                        "outcome",
                        "bytesReceived",
                        "archiveId",
                        "files",
                        "error",
                        "warnings",
                        "transfer",
                        "failureKind"),
                CtlRunner.fieldNames(e));
        assertEquals("FULL", e.get("transfer").asText(), "a first backup is sent whole");
        assertTrue(e.get("warnings").isArray());
        assertTrue(e.get("error").isNull());

        JsonNode backups = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out());
        assertEquals(1, backups.size());
        JsonNode a = backups.get(0);
        assertEquals(
                List.of("id", "createdAt", "sizeBytes", "files", "sha256", "stored", "file", "corrupt"),
                CtlRunner.fieldNames(a));
        assertEquals(e.get("archiveId").asLong(), a.get("id").asLong());
        assertTrue(a.get("stored").asBoolean());
        assertTrue(Files.isRegularFile(Path.of(a.get("file").asText())));

        JsonNode log = Json.mapper().readTree(ctl.run("log", "--json").out());
        assertEquals(1, log.size());
        assertEquals(e.get("id").asLong(), log.get(0).get("id").asLong());

        CtlRunner.Result table = ctl.run("log", "--node", "127.0.0.2", "--path", app.toString());
        assertTrue(table.out().contains("STORED"), table.out());
    }

    @Test
    void changesListsWhatDiffersFromTheArchiveBeforeAndTheSecondRunIsADelta() throws Exception {
        register(app);
        Files.writeString(app.resolve("gone.txt"), "soon removed\n");
        Files.writeString(app.resolve("mode.txt"), "same content\n");
        CtlRunner.Result first = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json");
        long firstId = Json.mapper().readTree(first.out()).get("archiveId").asLong();
        Files.writeString(app.resolve("data.txt"), "hello, edited\n");
        Files.writeString(app.resolve("new.txt"), "new\n");
        Files.delete(app.resolve("gone.txt"));
        Files.setAttribute(app.resolve("mode.txt"), "unix:mode", 0600);
        JsonNode second = Json.mapper()
                .readTree(ctl.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out());
        assertEquals("DELTA", second.get("transfer").asText(), second.toString());

        CtlRunner.Result changes =
                ctl.run("changes", "--id", second.get("archiveId").asText(), "--json");

        assertEquals(0, changes.exit(), changes.toString());
        Map<String, String> byPath = new java.util.TreeMap<>();
        for (JsonNode c : Json.mapper().readTree(changes.out())) {
            assertEquals(List.of("path", "change"), CtlRunner.fieldNames(c));
            byPath.put(c.get("path").asText(), c.get("change").asText());
        }
        byPath.remove("."); // the root's mtime moves only if the edits fell in another second than its creation
        assertEquals(
                Map.of("data.txt", "modified", "new.txt", "added", "gone.txt", "removed", "mode.txt", "metadata"),
                byPath);
        assertEquals(3, ctl.run("changes", "--id", Long.toString(firstId)).exit(), "nothing before the first");
    }

    @Test
    void aFailedRunExits5WithTheReasonOnStderr() {
        Path outside = dir.resolve("elsewhere");
        register(outside);
        CtlRunner.Result r = ctl.run("run", "--node", "127.0.0.2", "--path", outside.toString());
        assertEquals(5, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(outside.toString()), r.err());
        assertTrue(r.out().contains("FAILED"), r.out());
    }

    @Test
    void backupsOfAnUnknownTargetExits3() {
        CtlRunner.Result r = ctl.run("backups", "--node", "127.0.0.2", "--path", "/nothing/here");
        assertEquals(3, r.exit(), r.toString());
    }

    @Test
    void logNeedsBothNodeAndPathOrNeither() {
        assertEquals(2, ctl.run("log", "--node", "127.0.0.2").exit());
        assertEquals(2, ctl.run("log", "--path", "/srv").exit());
        assertEquals(2, ctl.run("log", "--limit", "-1").exit());
        assertEquals(0, ctl.run("log", "--limit", "0").exit());
    }

    @Test
    void backupsOfAnUnregisteredTargetAreStillListed() throws Exception {
        register(app);
        ctl.run("run", "--node", "127.0.0.2", "--path", app.toString());
        ctl.run("unregister", "--node", "127.0.0.2", "--path", app.toString());
        JsonNode backups = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out());
        assertEquals(1, backups.size());
        CtlRunner.Result run = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString());
        assertEquals(3, run.exit(), "an unregistered target is not run: " + run);
    }

    @Test
    void fetchWritesTheArchiveAtomicallyAndPrintsItsChecksum() throws Exception {
        register(app);
        ctl.run("run", "--node", "127.0.0.2", "--path", app.toString());
        JsonNode a = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out())
                .get(0);
        Path out = dir.resolve("copy.tgz");
        CtlRunner.Result r = ctl.run("fetch", "--id", a.get("id").asText(), "--output", out.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode f = Json.mapper().readTree(r.out());
        assertEquals(List.of("id", "sizeBytes", "sha256", "output"), CtlRunner.fieldNames(f));
        assertEquals(a.get("sha256").asText(), f.get("sha256").asText());
        assertEquals(out.toString(), f.get("output").asText());
        assertEquals(Files.size(Path.of(a.get("file").asText())), Files.size(out));
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(x -> x.getFileName().toString().endsWith(".partial")), "no temp file left");
        }
    }

    @Test
    void fetchOfAnUnknownArchiveExits3AndADamagedOneExits6() throws Exception {
        assertEquals(
                3,
                ctl.run("fetch", "--id", "777", "--output", dir.resolve("x.tgz").toString())
                        .exit());
        register(app);
        ctl.run("run", "--node", "127.0.0.2", "--path", app.toString());
        JsonNode a = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out())
                .get(0);
        Path stored = Path.of(a.get("file").asText());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 1;
        Files.write(stored, bytes);
        Path out = dir.resolve("damaged.tgz");
        CtlRunner.Result r = ctl.run("fetch", "--id", a.get("id").asText(), "--output", out.toString());
        assertEquals(6, r.exit(), r.toString());
        assertTrue(Files.notExists(out), "a copy that failed its check is not left behind");
        CtlRunner.Result v = ctl.run("verify", "--all", "--json");
        assertEquals(6, v.exit(), v.toString());
        JsonNode row = Json.mapper().readTree(v.out()).get(0);
        assertEquals(List.of("id", "ok", "problem"), CtlRunner.fieldNames(row));
        assertTrue(!row.get("ok").asBoolean() && row.get("problem").asText().contains("sha256"), row.toString());
    }

    @Test
    void fetchThatCannotWriteLocallyExits1AndLeavesNoTemporaryFile() throws Exception {
        register(app);
        ctl.run("run", "--node", "127.0.0.2", "--path", app.toString());
        String id = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out())
                .get(0)
                .get("id")
                .asText();
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("inside"), "x");
        CtlRunner.Result r = ctl.run("fetch", "--id", id, "--output", taken.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot write " + taken + ": "), r.toString());
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(x -> x.getFileName().toString().endsWith(".partial")), "no temp file left");
        }
        assertEquals(
                2,
                ctl.run(
                                "fetch",
                                "--id",
                                id,
                                "--output",
                                dir.resolve("nowhere/x.tgz").toString())
                        .exit());
    }

    @Test
    void verifyNeedsExactlyOneScope() {
        assertEquals(2, ctl.run("verify").exit());
        assertEquals(2, ctl.run("verify", "--all", "--id", "1").exit());
        assertEquals(2, ctl.run("verify", "--node", "127.0.0.2").exit());
        assertEquals(0, ctl.run("verify", "--all").exit());
    }

    @Test
    void restorePrintsWhatItRestoredAndMapsRefusalsAndUnreachableNodes() throws Exception {
        register(app);
        ctl.run("run", "--node", "127.0.0.2", "--path", app.toString());
        String id = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out())
                .get(0)
                .get("id")
                .asText();
        Path into = restores.resolve("copy");
        CtlRunner.Result ok = ctl.run("restore", "--id", id, "--target", into.toString(), "--json");
        assertEquals(0, ok.exit(), ok.toString());
        JsonNode r = Json.mapper().readTree(ok.out());
        // The contract's fields, then the optional warnings (what could not be restored exactly).
        assertEquals(List.of("id", "node", "port", "target", "files", "bytes", "warnings"), CtlRunner.fieldNames(r));
        assertTrue(r.get("warnings").isArray() && r.get("warnings").isEmpty(), r.toString());
        assertEquals("hello\n", Files.readString(into.resolve("data.txt")));

        CtlRunner.Result refused = ctl.run("restore", "--id", id, "--target", into.toString());
        assertEquals(3, refused.exit(), "target not empty: " + refused);
        CtlRunner.Result outside = ctl.run(
                "restore", "--id", id, "--target", dir.resolve("elsewhere").toString());
        assertEquals(3, outside.exit(), outside.toString());
        CtlRunner.Result down = ctl.run(
                "restore",
                "--id",
                id,
                "--node",
                "127.0.0.3",
                "--port",
                "9",
                "--target",
                restores.resolve("x").toString());
        assertEquals(4, down.exit(), down.toString());
        assertEquals(
                3,
                ctl.run(
                                "restore",
                                "--id",
                                "999",
                                "--target",
                                restores.resolve("y").toString())
                        .exit());
        assertEquals(
                2, ctl.run("restore", "--id", id, "--target", "relative/dir").exit());
    }
}
