package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

/** backupctl files and fetch --file against a real server and agent on loopback. */
class CtlFilesCommandsTest {
    @TempDir
    Path dir;

    private BackupServer server;
    private BackupAgent agent;
    private CtlRunner ctl;
    private Path app;
    private String archiveId;

    @BeforeEach
    void start() throws IOException {
        Path allowed = Files.createDirectories(dir.resolve("srv"));
        app = Files.createDirectories(allowed.resolve("app"));
        Files.writeString(app.resolve("data.txt"), "hello\n");
        Files.createDirectories(app.resolve("conf"));
        Files.writeString(app.resolve("conf/app.conf"), "port=80\n");
        Files.setPosixFilePermissions(app.resolve("conf/app.conf"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(app.resolve("current"), Path.of("conf"));
        agent = BackupAgent.start(AgentSettings.of(
                        new InetSocketAddress("127.0.0.2", 0), List.of(allowed), dir.resolve("state"), List.of())
                .withTrustedServers(List.of(BackupServer.identityOf(dir.resolve("data")))));
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve("data"))
                        .withFirstRunDelay(java.time.Duration.ofHours(1)),
                Clock.systemUTC());
        ctl = new CtlRunner(
                server, Map.of("BACKUP_SERVER", "127.0.0.1:" + server.address().getPort()));
        assertEquals(
                0,
                ctl.run(
                                "register",
                                "--node",
                                "127.0.0.2",
                                "--port",
                                Integer.toString(agent.address().getPort()),
                                "--path",
                                app.toString(),
                                "--every",
                                "1h")
                        .exit());
        CtlRunner.Result run = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        archiveId = Json.mapper().readTree(run.out()).get("archiveId").asText();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        agent.close();
    }

    @Test
    void filesJsonListsEveryEntryWithTheContractFields() throws Exception {
        CtlRunner.Result r = ctl.run("files", "--id", archiveId, "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode files = Json.mapper().readTree(r.out());
        JsonNode conf = null;
        JsonNode link = null;
        for (JsonNode f : files) {
            assertEquals(
                    List.of("path", "type", "sizeBytes", "mode", "mtime", "sha256", "linkTarget"),
                    CtlRunner.fieldNames(f));
            conf = f.get("path").asText().equals("conf/app.conf") ? f : conf;
            link = f.get("path").asText().equals("current") ? f : link;
        }
        assertEquals("file", conf.get("type").asText());
        assertEquals("0640", conf.get("mode").asText());
        assertEquals(8, conf.get("sizeBytes").asLong());
        assertTrue(
                conf.get("mtime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                conf.toString());
        assertEquals(64, conf.get("sha256").asText().length());
        assertTrue(conf.get("linkTarget").isNull());
        assertEquals("symlink", link.get("type").asText());
        assertEquals("conf", link.get("linkTarget").asText());
        assertTrue(link.get("sha256").isNull());

        CtlRunner.Result table = ctl.run("files", "--id", archiveId);
        assertTrue(table.out().contains("0640") && table.out().contains("current -> conf"), table.out());
    }

    @Test
    void aHardLinkIsAFileNamingWhereItsContentIsAndFetchesThatContent() throws Exception {
        Files.createLink(app.resolve("zz-second-name.txt"), app.resolve("data.txt"));
        CtlRunner.Result run = ctl.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        String id = Json.mapper().readTree(run.out()).get("archiveId").asText();

        CtlRunner.Result r = ctl.run("files", "--id", id, "--json");

        JsonNode link = null;
        for (JsonNode f : Json.mapper().readTree(r.out())) {
            link = f.get("path").asText().equals("zz-second-name.txt") ? f : link;
        }
        assertEquals(
                List.of("path", "type", "sizeBytes", "mode", "mtime", "sha256", "linkTarget", "hardLinkTo"),
                CtlRunner.fieldNames(link));
        assertEquals("file", link.get("type").asText());
        assertEquals("data.txt", link.get("hardLinkTo").asText());
        assertTrue(link.get("sha256").isNull());
        assertTrue(ctl.run("files", "--id", id).out().contains("zz-second-name.txt link to data.txt"));
        Path out = dir.resolve("second.txt");
        CtlRunner.Result fetched =
                ctl.run("fetch", "--id", id, "--file", "zz-second-name.txt", "--output", out.toString());
        assertEquals(0, fetched.exit(), fetched.toString());
        assertEquals("hello\n", Files.readString(out));
    }

    @Test
    void filesOfAnUnknownArchiveOrOneWithoutIndexExits3SayingWhy() throws Exception {
        CtlRunner.Result unknown = ctl.run("files", "--id", "777");
        assertEquals(3, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("no archive with id 777"), unknown.err());
        JsonNode a = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out())
                .get(0);
        Files.delete(Path.of(a.get("file").asText().replaceAll("\\.tgz$", ".idx")));
        CtlRunner.Result r = ctl.run("files", "--id", archiveId);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("has no usable index: its index file is missing"), r.err());
    }

    @Test
    void fetchOfOneFileWritesItAndPrintsTheFetchObjectWithItsPath() throws Exception {
        Path out = dir.resolve("app.conf");
        CtlRunner.Result r =
                ctl.run("fetch", "--id", archiveId, "--file", "conf/app.conf", "--output", out.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode f = Json.mapper().readTree(r.out());
        assertEquals(List.of("id", "sizeBytes", "sha256", "output", "file"), CtlRunner.fieldNames(f));
        assertEquals("conf/app.conf", f.get("file").asText());
        assertEquals(8, f.get("sizeBytes").asLong());
        assertEquals("port=80\n", Files.readString(out));
    }

    @Test
    void fetchOfAPathThatIsNotARegularFileExits3AndWritesNothing() {
        Path out = dir.resolve("x");
        for (String path : List.of("conf", "current", "nope.txt")) {
            CtlRunner.Result r = ctl.run("fetch", "--id", archiveId, "--file", path, "--output", out.toString());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(Files.notExists(out));
        }
    }

    @Test
    void fetchOfAFileFromADamagedArchiveExits6AndWritesNothing() throws Exception {
        JsonNode a = Json.mapper()
                .readTree(ctl.run("backups", "--node", "127.0.0.2", "--path", app.toString(), "--json")
                        .out())
                .get(0);
        Path stored = Path.of(a.get("file").asText());
        byte[] bytes = Files.readAllBytes(stored);
        // The whole deflate body damaged (not the gzip header's 10 bytes nor its 8-byte trailer): a fetch reads
        // a file's segment only up to the file's end, so one flipped byte past it would rightly not matter.
        for (int i = 10; i < bytes.length - 8; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(stored, bytes);
        Path out = dir.resolve("data.txt");
        CtlRunner.Result r = ctl.run("fetch", "--id", archiveId, "--file", "data.txt", "--output", out.toString());
        assertEquals(6, r.exit(), r.toString());
        assertTrue(Files.notExists(out));
        CtlRunner.Result v = ctl.run("verify", "--id", archiveId);
        assertEquals(6, v.exit(), v.toString());
        assertTrue(v.out().contains("segment 0"), v.out());
    }
}
