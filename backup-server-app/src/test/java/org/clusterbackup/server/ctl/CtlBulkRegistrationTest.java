package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtlBulkRegistrationTest {
    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    private BackupServer server;
    private String address;
    private CtlRunner ctl;

    @BeforeEach
    void start() throws IOException {
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(Duration.ofHours(1)),
                Clock.systemUTC());
        address = "127.0.0.1:" + server.address().getPort();
        ctl = new CtlRunner(server, Map.of());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private Path file(String... lines) throws IOException {
        Path f = Files.createTempFile(work, "targets", ".txt");
        Files.write(f, List.of(lines));
        return f;
    }

    private JsonNode json(CtlRunner.Result r) throws IOException {
        assertEquals(0, r.exit(), r.toString());
        return Json.mapper().readTree(r.out());
    }

    private int listed() throws IOException {
        return json(ctl.run("--server", address, "list", "--json")).size();
    }

    @Test
    void aFileRegistersEveryTargetAndTheSameFileAgainChangesNothing() throws Exception {
        Path f = file(
                "# web tier",
                "",
                "127.0.0.2 7071 /srv/app 5",
                "  127.0.0.2   7071   /srv/with blank  30s  ",
                "127.0.0.3 7072 /srv/app/ 2h");
        JsonNode first = json(ctl.run("--server", address, "register", "--from", f.toString(), "--json"));
        assertEquals(List.of("registered", "reactivated", "unchanged"), CtlRunner.fieldNames(first));
        assertEquals("{\"registered\":3,\"reactivated\":0,\"unchanged\":0}", first.toString());
        JsonNode again = json(ctl.run("--server", address, "register", "--from", f.toString(), "--json"));
        assertEquals("{\"registered\":0,\"reactivated\":0,\"unchanged\":3}", again.toString());
        JsonNode list = json(ctl.run("--server", address, "list", "--json"));
        assertEquals("/srv/with blank", list.get(1).get("path").asText());
        assertEquals(30, list.get(1).get("everySeconds").asLong());
        assertEquals("/srv/app", list.get(2).get("path").asText(), "normalised as a single register would");
    }

    @Test
    void aBadLineExits2NamingItAndNothingIsRegistered() throws Exception {
        Path f =
                file("127.0.0.2 7071 /srv/a 5", "# fine so far", "127.0.0.2 70710 /srv/b 5", "127.0.0.2 7071 /srv/c 5");
        CtlRunner.Result r = ctl.run("--server", address, "register", "--from", f.toString());
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("line 3: port 70710 is outside 1-65535"), r.err());
        assertEquals(0, listed());
    }

    @Test
    void eachKindOfBadLineIsNamed() throws Exception {
        Map<String, String> bad = Map.of(
                "127.0.0.2 7071 /srv/a", "no SPEC after the path",
                "127.0.0.2 7071 srv/a 5", "line 1: ",
                "127.0.0.2 http /srv/a 5", "port 'http' is not a number",
                "127.0.0.2 7071 /srv/a 5x", "invalid frequency '5x'",
                "127.0.0.2 7071", "expected NODE PORT PATH SPEC, found 2 fields",
                "127.0.0.2 7071 /srv/../a 5", "line 1: ");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            CtlRunner.Result r = ctl.run(
                    "--server", address, "register", "--from", file(e.getKey()).toString());
            assertEquals(2, r.exit(), e.getKey() + ": " + r);
            assertTrue(r.err().contains(e.getValue()), e.getKey() + ": " + r.err());
        }
        assertEquals(0, listed());
    }

    @Test
    void theSameTargetTwiceIsABadLine() throws Exception {
        Path f = file("127.0.0.2 7071 /srv/a 5", "127.0.0.2 7071 /srv/a/ 10");
        CtlRunner.Result r = ctl.run("--server", address, "register", "--from", f.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("line 2: the same target as line 1"), r.err());
    }

    @Test
    void standardInputIsReadForADash() throws Exception {
        String lines = IntStream.rangeClosed(1, 1200)
                .mapToObj(i -> "127.0.0.2 " + (1000 + i) + " /srv/t" + i + " 5m")
                .collect(Collectors.joining("\n"));
        JsonNode done = json(ctl.runWithStdin(lines, "--server", address, "register", "--from", "-", "--json"));
        assertEquals(1200, done.get("registered").asInt(), "three batches over one connection");
        assertEquals(1200, listed());
    }

    @Test
    void unregisterFromAFileCountsWhatWasNotThereAndSpecIsOptional() throws Exception {
        json(ctl.run(
                "--server",
                address,
                "register",
                "--from",
                file("127.0.0.2 7071 /srv/a 5", "127.0.0.2 7071 /srv/b 5", "127.0.0.2 7071 /srv/c 5")
                        .toString(),
                "--json"));
        Path gone = file("127.0.0.2 7071 /srv/a", "127.0.0.2 7071 /srv/b 5", "127.0.0.9 7071 /srv/x");
        JsonNode done = json(ctl.run("--server", address, "unregister", "--from", gone.toString(), "--json"));
        assertEquals("{\"unregistered\":2,\"notFound\":1}", done.toString());
        CtlRunner.Result table = ctl.run("--server", address, "unregister", "--from", gone.toString());
        assertEquals("unregistered 0, not found 3", table.out().strip());
        assertEquals(1, listed());
        JsonNode back = json(ctl.run(
                "--server",
                address,
                "register",
                "--from",
                file("127.0.0.2 7071 /srv/a 5", "127.0.0.2 7071 /srv/c 5").toString(),
                "--json"));
        assertEquals("{\"registered\":0,\"reactivated\":1,\"unchanged\":1}", back.toString());
    }

    @Test
    void fromExcludesTheSingleTargetOptions() throws Exception {
        Path f = file("127.0.0.2 7071 /srv/a 5");
        CtlRunner.Result reg = ctl.run("--server", address, "register", "--from", f.toString(), "--node", "h");
        assertEquals(2, reg.exit(), reg.toString());
        CtlRunner.Result unreg =
                ctl.run("--server", address, "unregister", "--from", f.toString(), "--node", "h", "--path", "/srv/a");
        assertEquals(2, unreg.exit(), unreg.toString());
        CtlRunner.Result none = ctl.run("--server", address, "register", "--node", "h", "--port", "1", "--path", "/a");
        assertEquals(2, none.exit(), none.toString());
        assertTrue(none.err().contains("--every"), none.err());
        CtlRunner.Result missing = ctl.run(
                "--server", address, "register", "--from", work.resolve("nope").toString());
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}
