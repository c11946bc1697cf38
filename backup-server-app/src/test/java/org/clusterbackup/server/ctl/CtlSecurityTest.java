package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.client.KnownServers;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backupctl against a real server and agent: tokens, roles, pins, the audit trail. Exit 7 is ours. */
class CtlSecurityTest {
    @TempDir
    Path dir;

    private BackupServer server;
    private BackupAgent agent;
    private CtlRunner admin;
    private Path app;
    private Path restores;
    private String agentPort;
    private String address;

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
        startServer();
        agentPort = Integer.toString(agent.address().getPort());
        admin = new CtlRunner(server, Map.of("BACKUP_SERVER", address));
    }

    private void startServer() throws IOException {
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve("data"))
                        .withFirstRunDelay(Duration.ofHours(1)),
                Clock.systemUTC());
        address = "127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        agent.close();
    }

    private CtlRunner as(String token) {
        Map<String, String> env = new HashMap<>(Map.of(
                "BACKUP_SERVER",
                address,
                OperatorAccess.FINGERPRINT_ENV,
                server.fingerprint().value()));
        if (token != null) {
            env.put(OperatorAccess.TOKEN_ENV, token);
        }
        return new CtlRunner(env);
    }

    private String token(String name, String role) throws IOException {
        CtlRunner.Result r = admin.run("token", "create", "--name", name, "--role", role, "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode t = Json.mapper().readTree(r.out());
        assertEquals(List.of("name", "role", "token", "createdAt"), fieldNames(t));
        return t.get("token").asText();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A map that keeps the order its entries are given in: commands run in that order. */
    private static Map<String, String[]> ordered(Object... keysAndValues) {
        Map<String, String[]> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (String[]) keysAndValues[i + 1]);
        }
        return m;
    }

    private long registeredAndStored() throws IOException {
        assertEquals(
                0,
                admin.run(
                                "register",
                                "--node",
                                "127.0.0.2",
                                "--port",
                                agentPort,
                                "--path",
                                app.toString(),
                                "--every",
                                "1h")
                        .exit());
        CtlRunner.Result run = admin.run("run", "--node", "127.0.0.2", "--path", app.toString(), "--json");
        assertEquals(0, run.exit(), run.toString());
        return Json.mapper().readTree(run.out()).get("archiveId").asLong();
    }

    @Test
    void withoutAValidTokenNothingIsServedAndEveryRefusalReadsTheSame() throws Exception {
        registeredAndStored();
        String revoked = token("gone", "admin");
        assertEquals(0, admin.run("token", "revoke", "--name", "gone").exit());
        List<String> errors = new ArrayList<>();
        for (String token : new String[] {null, "cbt_wrong", revoked}) {
            CtlRunner.Result r = as(token).run("list", "--json");
            assertEquals(7, r.exit(), r.toString());
            assertEquals("", r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            errors.add(r.err());
            CtlRunner.Result register = as(token)
                    .run(
                            "register",
                            "--node",
                            "127.0.0.2",
                            "--port",
                            agentPort,
                            "--path",
                            "/srv/other",
                            "--every",
                            "1h");
            assertEquals(7, register.exit(), register.toString());
        }
        assertEquals(1, errors.stream().distinct().count(), "one generic error: " + errors);
        assertEquals(
                1, Json.mapper().readTree(admin.run("list", "--json").out()).size(), "nothing registered");
    }

    @Test
    void eachRoleMayDoExactlyWhatTheContractSays() throws Exception {
        long archive = registeredAndStored();
        Map<String, CtlRunner> roles = Map.of(
                "viewer",
                as(token("v", "viewer")),
                "operator",
                as(token("o", "operator")),
                "admin",
                as(token("a", "admin")));
        String node = "127.0.0.2";
        String path = app.toString();
        Map<String, String[]> viewer = ordered(
                "list", new String[] {"list"},
                "backups", new String[] {"backups", "--node", node, "--path", path},
                "log", new String[] {"log"},
                "files", new String[] {"files", "--id", Long.toString(archive)},
                "changes", new String[] {"changes", "--id", Long.toString(archive)},
                "audit", new String[] {"audit"},
                "servers", new String[] {"servers"});
        Map<String, String[]> operator = ordered(
                "run", new String[] {"run", "--node", node, "--path", path},
                "fetch",
                        new String[] {
                            "fetch",
                            "--id",
                            Long.toString(archive),
                            "--output",
                            dir.resolve("fetched-%s.tgz").toString()
                        },
                "fetch --file",
                        new String[] {
                            "fetch",
                            "--id",
                            Long.toString(archive),
                            "--file",
                            "data.txt",
                            "--output",
                            dir.resolve("fetched-%s.txt").toString()
                        },
                "restore",
                        new String[] {
                            "restore",
                            "--id",
                            Long.toString(archive),
                            "--target",
                            restores.resolve("copy-%s").toString()
                        },
                "verify", new String[] {"verify", "--all"});
        Map<String, String[]> adminOnly = ordered(
                "register",
                        new String[] {
                            "register", "--node", node, "--port", agentPort, "--path", "/srv/%s", "--every", "1h"
                        },
                "unregister", new String[] {"unregister", "--node", node, "--path", "/srv/%s"},
                "trust",
                        new String[] {
                            "trust",
                            "--node",
                            "127.0.0.9",
                            "--port",
                            "7071",
                            "--fingerprint",
                            agent.fingerprint().value()
                        },
                "token create", new String[] {"token", "create", "--name", "made-by-%s", "--role", "viewer"},
                "token list", new String[] {"token", "list"},
                "token revoke", new String[] {"token", "revoke", "--name", "no-such-%s"});
        List<String> rank = List.of("viewer", "operator", "admin");
        List<Map<String, String[]>> tiers = List.of(viewer, operator, adminOnly);
        for (String role : rank) {
            for (int tier = 0; tier < tiers.size(); tier++) {
                for (Map.Entry<String, String[]> command : tiers.get(tier).entrySet()) {
                    String[] args = command.getValue().clone();
                    for (int i = 0; i < args.length; i++) {
                        args[i] = args[i].replace("%s", role);
                    }
                    CtlRunner.Result r = roles.get(role).run(args);
                    String what = role + " " + command.getKey() + ": " + r;
                    if (rank.indexOf(role) >= tier) {
                        assertNotEquals(7, r.exit(), what);
                    } else {
                        assertEquals(7, r.exit(), what);
                        assertTrue(r.err().contains("has role " + role), what);
                    }
                }
            }
        }
        // What the refused ones would have done did not happen.
        assertTrue(Files.notExists(dir.resolve("fetched-viewer.tgz")));
        assertTrue(Files.notExists(restores.resolve("copy-viewer")));
        assertTrue(Files.exists(restores.resolve("copy-operator")));
        JsonNode list = Json.mapper().readTree(admin.run("list", "--json").out());
        assertEquals(
                1, list.size(), "the admin registered and unregistered /srv/admin; nobody else registered: " + list);
    }

    @Test
    void theAuditTrailRecordsWhoDidWhatRefusalsIncluded() throws Exception {
        registeredAndStored();
        String viewer = token("watcher", "viewer");
        assertEquals(
                7,
                as(viewer)
                        .run("run", "--node", "127.0.0.2", "--path", app.toString())
                        .exit());
        assertEquals(7, as("cbt_guess").run("verify", "--all").exit());
        CtlRunner.Result r = as(viewer).run("audit", "--limit", "0", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode audit = Json.mapper().readTree(r.out());
        assertEquals(
                List.of("id", "at", "tokenName", "peer", "action", "params", "ok", "error"), fieldNames(audit.get(0)));
        List<String> lines = new ArrayList<>();
        audit.forEach(a -> lines.add(a.get("action").asText() + " "
                + a.get("tokenName").asText() + " " + a.get("ok").asBoolean()));
        assertEquals(
                List.of(
                        "verify null false",
                        "run watcher false",
                        "token create admin true",
                        "run admin true",
                        "register admin true"),
                lines);
        JsonNode register = audit.get(4);
        assertEquals(app.toString(), register.get("params").get("path").asText());
        assertTrue(register.get("peer").asText().startsWith("127.0.0.1:"), register.toString());
        assertFalse(r.out().contains(viewer), "no token value in the trail");
        assertEquals(
                2,
                Json.mapper()
                        .readTree(as(viewer)
                                .run("audit", "--limit", "2", "--json")
                                .out())
                        .size());
    }

    @Test
    void aChangedServerIdentityIsRefusedNamingBothAndNothingIsSent() throws Exception {
        Path config = dir.resolve("operator");
        Map<String, String> env = Map.of(
                "BACKUP_SERVER",
                address,
                "XDG_CONFIG_HOME",
                config.toString(),
                OperatorAccess.TOKEN_ENV,
                Files.readString(server.adminTokenFile()).strip());
        String before = server.fingerprint().value();
        // Pinned once, explicitly; from then on known_servers holds it.
        assertEquals(
                0,
                new CtlRunner(env).run("--server-fingerprint", before, "list").exit());
        assertTrue(Files.readString(config.resolve("cluster-backup").resolve(KnownServers.FILE_NAME))
                .contains(before));
        assertEquals(0, new CtlRunner(env).run("list").exit());

        server.close();
        Files.delete(dir.resolve("data").resolve(Identity.FILE_NAME));
        startServer();
        env = new HashMap<>(env);
        env.put("BACKUP_SERVER", address);
        Files.writeString(
                config.resolve("cluster-backup").resolve(KnownServers.FILE_NAME),
                new HostPort("127.0.0.1", server.address().getPort()) + " " + before + "\n");
        CtlRunner.Result r = new CtlRunner(env)
                .run("register", "--node", "127.0.0.2", "--port", agentPort, "--path", "/srv/x", "--every", "1h");
        assertEquals(7, r.exit(), r.toString());
        assertTrue(
                r.err().contains(before)
                        && r.err().contains(server.fingerprint().value()),
                r.err());
        assertEquals(
                0,
                Json.mapper()
                        .readTree(new CtlRunner(server, Map.of("BACKUP_SERVER", address))
                                .run("list", "--json")
                                .out())
                        .size(),
                "nothing registered");
    }

    @Test
    void anUnknownServerIsNeverAcceptedWithoutATerminal() throws Exception {
        Path config = dir.resolve("operator");
        Map<String, String> env = Map.of(
                "BACKUP_SERVER",
                address,
                "XDG_CONFIG_HOME",
                config.toString(),
                OperatorAccess.TOKEN_ENV,
                Files.readString(server.adminTokenFile()).strip());
        CtlRunner.Result r = new CtlRunner(env).run("list");
        assertEquals(7, r.exit(), r.toString());
        assertTrue(r.err().contains("--server-fingerprint " + server.fingerprint()), r.err());
        assertTrue(Files.notExists(config.resolve("cluster-backup").resolve(KnownServers.FILE_NAME)));
    }

    @Test
    void aTokenFileIsReadAndAMissingOneIsRefusedWithExit7() throws Exception {
        Path file = dir.resolve("my.token");
        Files.writeString(file, token("filed", "viewer") + "\n");
        Map<String, String> env = Map.of(
                "BACKUP_SERVER",
                address,
                OperatorAccess.FINGERPRINT_ENV,
                server.fingerprint().value());
        assertEquals(
                0,
                new CtlRunner(env).run("--token-file", file.toString(), "list").exit());
        CtlRunner.Result missing = new CtlRunner(env)
                .run("list", "--token-file", dir.resolve("nope").toString());
        assertEquals(7, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }
}
