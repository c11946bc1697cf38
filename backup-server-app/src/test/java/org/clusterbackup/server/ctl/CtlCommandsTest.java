package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CtlCommandsTest {
    @TempDir
    Path dataDir;

    private BackupServer server;
    private String address;
    private CtlRunner ctl;

    @BeforeEach
    void start() throws IOException {
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(java.time.Duration.ofHours(1)),
                Clock.systemUTC());
        address = "127.0.0.1:" + server.address().getPort();
        ctl = new CtlRunner(server, Map.of());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private CtlRunner.Result register(String... extra) {
        String[] base = {
            "--server",
            address,
            "register",
            "--node",
            "127.0.0.2",
            "--port",
            "7071",
            "--path",
            "/srv/app",
            "--every",
            "5"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return ctl.run(args);
    }

    @Test
    void registerPrintsTheTargetAsJson() throws Exception {
        CtlRunner.Result r = register("--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode t = Json.mapper().readTree(r.out());
        assertEquals(1, t.get("id").asLong());
        assertEquals("127.0.0.2", t.get("node").asText());
        assertEquals(7071, t.get("port").asInt());
        assertEquals("/srv/app", t.get("path").asText());
        assertEquals(300, t.get("everySeconds").asLong());
        assertTrue(t.get("registeredAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(6, t.size(), "exactly the contract's six fields");
        assertTrue(t.get("id").isIntegralNumber() && t.get("everySeconds").isIntegralNumber());
    }

    @Test
    void aSecondIdenticalRegisterExits3WithOneLine() {
        register();
        CtlRunner.Result r = register();
        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("already registered"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void serverOptionWorksOnEitherSideOfTheSubcommand() {
        register();
        CtlRunner.Result before = ctl.run("--server", address, "list", "--json");
        CtlRunner.Result after = ctl.run("list", "--server", address, "--json");
        assertEquals(0, before.exit(), before.toString());
        assertEquals(before.out(), after.out());
        assertTrue(before.out().contains("/srv/app"));
    }

    @Test
    void theServerComesFromTheEnvironmentWhenNoFlagIsGiven() {
        register();
        CtlRunner.Result r = new CtlRunner(server, Map.of("BACKUP_SERVER", address)).run("list", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("/srv/app"), r.out());
    }

    @Test
    void listShowsTheSixFieldsAndUnregisterRemovesTheTarget() throws Exception {
        register();
        JsonNode list = Json.mapper()
                .readTree(ctl.run("--server", address, "list", "--json").out());
        assertEquals(1, list.size());
        java.util.List<String> fields = new java.util.ArrayList<>();
        list.get(0).fieldNames().forEachRemaining(fields::add);
        assertEquals(
                java.util.List.of(
                        "id",
                        "node",
                        "port",
                        "path",
                        "everySeconds",
                        "registeredAt",
                        "state",
                        "nextRunAt",
                        "lastOutcome",
                        "lastSuccessAt",
                        "lastFailureKind",
                        "server"),
                fields);
        assertEquals("SCHEDULED", list.get(0).get("state").asText());
        assertEquals(
                address,
                list.get(0).get("server").asText(),
                "a server alone runs every target; no --name: its address");
        assertTrue(list.get(0).get("lastOutcome").isNull()
                && list.get(0).get("lastSuccessAt").isNull());
        CtlRunner.Result un =
                ctl.run("--server", address, "unregister", "--node", "127.0.0.2", "--path", "/srv/app/", "--json");
        assertEquals(0, un.exit(), un.toString());
        assertEquals(1, Json.mapper().readTree(un.out()).get("id").asLong());
        assertEquals("[ ]", ctl.run("--server", address, "list", "--json").out().strip());
    }

    @Test
    void tablesAreForPeople() {
        register();
        CtlRunner.Result r = ctl.run("--server", address, "list");
        assertTrue(r.out().startsWith("ID  NODE"), r.out());
        assertTrue(r.out().contains("5m"), r.out());
    }

    @Test
    void serversListsTheServerItselfWhenItIsAloneOnItsCatalog() throws Exception {
        register();
        JsonNode servers = Json.mapper()
                .readTree(ctl.run("--server", address, "servers", "--json").out());
        assertEquals(1, servers.size(), servers.toString());
        java.util.List<String> fields = new java.util.ArrayList<>();
        servers.get(0).fieldNames().forEachRemaining(fields::add);
        assertEquals(java.util.List.of("name", "address", "targets", "heartbeatAt"), fields);
        assertEquals(address, servers.get(0).get("name").asText());
        assertEquals(address, servers.get(0).get("address").asText());
        assertEquals(1, servers.get(0).get("targets").asInt());
        assertTrue(servers.get(0).get("heartbeatAt").isTextual(), servers.toString());

        CtlRunner.Result table = ctl.run("--server", address, "servers");
        assertEquals(0, table.exit(), table.toString());
        assertTrue(table.out().startsWith("NAME") && table.out().contains(address), table.out());
    }

    @Test
    void anAmbiguousSelectorExits3ListingThePorts() {
        register();
        ctl.run(
                "--server",
                address,
                "register",
                "--node",
                "127.0.0.2",
                "--port",
                "7072",
                "--path",
                "/srv/app",
                "--every",
                "5");
        CtlRunner.Result r = ctl.run("--server", address, "unregister", "--node", "127.0.0.2", "--path", "/srv/app");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("7071, 7072"), r.err());
    }

    @Test
    void anUnknownTargetExits3() {
        CtlRunner.Result r = ctl.run("--server", address, "unregister", "--node", "127.0.0.9", "--path", "/nothing");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("127.0.0.9"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "0", "05", "1.5h", "5d"})
    void aBadSpecExits2NamingIt(String spec) {
        CtlRunner.Result r = ctl.run(
                "--server",
                address,
                "register",
                "--node",
                "127.0.0.2",
                "--port",
                "7071",
                "--path",
                "/srv/app",
                "--every",
                spec);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("'" + spec + "'"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"srv/app", "/srv/../etc", "/srv/./app"})
    void relativeOrDotPathsExit2(String path) {
        CtlRunner.Result r = ctl.run(
                "--server",
                address,
                "register",
                "--node",
                "127.0.0.2",
                "--port",
                "7071",
                "--path",
                path,
                "--every",
                "5");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(path), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-1", "abc"})
    void portsOutsideTheRangeExit2(String port) {
        CtlRunner.Result r = ctl.run(
                "--server",
                address,
                "register",
                "--node",
                "127.0.0.2",
                "--port",
                port,
                "--path",
                "/srv/app",
                "--every",
                "5");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(port), r.err());
    }

    @Test
    void anUnknownFlagExits2NamingIt() {
        CtlRunner.Result r = ctl.run("--server", address, "register", "--bogus");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--bogus"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aMissingSelectorExits2() {
        CtlRunner.Result r = ctl.run("--server", address, "unregister", "--node", "127.0.0.2");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--path"), r.err());
    }

    @Test
    void aMissingSubcommandExits2() {
        assertEquals(2, ctl.run().exit());
    }

    @Test
    void aBadServerAddressExits2AndAnAbsentServerExits4() throws IOException {
        CtlRunner.Result bad = ctl.run("--server", "nowhere", "list");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("nowhere"), bad.err());
        server.close();
        CtlRunner.Result absent = ctl.run("--server", address, "list");
        assertEquals(4, absent.exit(), absent.toString());
        assertTrue(absent.err().contains(address), absent.err());
        assertEquals(1, absent.err().lines().count(), absent.err());
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(java.time.Duration.ofHours(1)),
                Clock.systemUTC());
    }

    @Test
    void helpWorksForEveryCommand() {
        for (String[] args : new String[][] {
            {"--help"}, {"register", "--help"}, {"unregister", "--help"}, {"list", "--help"}, {"servers", "--help"}
        }) {
            CtlRunner.Result r = ctl.run(args);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("Usage:"), r.out());
        }
    }
}
