package org.clusterbackup.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.PeerIdentityException;
import org.clusterbackup.core.security.Tls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * backup-agent's command line: flag mistakes are usage errors found before anything starts, start-up
 * failures exit 1, and a started agent announces its real address and serves a backup server there.
 */
class AgentMainTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "--listen,nowhere",
        "--listen,127.0.0.1:70000",
        "--listen,127.0.0.1",
        "--bogus,x",
        "--threads,0",
        "--threads,65",
        "--threads,-1",
        "--threads,x"
    })
    void badFlagsExit2(String flag, String value) {
        Captured r = run(flag, value, "--state-dir", dir.resolve("state").toString());
        assertEquals(Cli.EXIT_USAGE, r.exit, r.toString());
        assertFalse(Files.exists(dir.resolve("state")), "nothing was started");
    }

    @Test
    void anUnknownFlagIsNamed() {
        Captured r = run("--alow", dir.toString());
        assertEquals(Cli.EXIT_USAGE, r.exit, r.toString());
        assertTrue(r.err.contains("unknown option '--alow'"), r.err);
        assertEquals(1, r.err.lines().count(), r.err);
    }

    @Test
    void aMissingAllowDirectoryExits1() throws IOException {
        Captured r = run(
                "--listen",
                "127.0.0.1:0",
                "--allow",
                dir.resolve("absent").toString(),
                "--state-dir",
                dir.resolve("state").toString(),
                "--trust-server",
                server().fingerprint().value());
        assertEquals(Cli.EXIT_START_FAILED, r.exit, r.toString());
    }

    @Test
    void anAddressInUseExits1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Captured r = run(
                    "--listen",
                    "127.0.0.1:" + taken.getLocalPort(),
                    "--allow",
                    dir.toString(),
                    "--state-dir",
                    dir.resolve("state").toString(),
                    "--trust-server",
                    server().fingerprint().value());
            assertEquals(Cli.EXIT_START_FAILED, r.exit, r.toString());
        }
    }

    @Test
    void versionAndHelpExit0() {
        Captured version = run("--version");
        assertEquals(0, version.exit, version.toString());
        assertTrue(version.out.startsWith("Cluster Backup "), version.out);
        Captured help = run("--help");
        assertEquals(0, help.exit, help.toString());
        for (String flag : List.of("--listen", "--allow", "--restore-root", "--state-dir", "--version")) {
            assertTrue(help.out.contains(flag), flag + " in " + help.out);
        }
    }

    @Test
    void aStartedAgentPrintsItsRealAddressAndGreetsAServerThere() throws Exception {
        Path log = dir.resolve("stderr.txt");
        Identity server = server();
        Process agent = new ProcessBuilder(javaCommand(
                        "--listen",
                        "127.0.0.1:0",
                        "--state-dir",
                        dir.resolve("state").toString(),
                        "--trust-server",
                        server.fingerprint().value()))
                .redirectError(log.toFile())
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
            String identity = out.readLine();
            assertNotNull(identity, "the agent ended without printing its identity; stderr: " + Files.readString(log));
            assertTrue(identity.startsWith("fingerprint SHA256:"), identity);
            String ready = out.readLine();
            assertNotNull(ready, "the agent ended without a readiness line; stderr: " + Files.readString(log));
            Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertTrue(m.matches(), ready);
            int port = Integer.parseInt(m.group(1));
            assertTrue(port > 0, ready);
            String agentIdentity = identity.substring("fingerprint ".length());
            try (BlockingConnection c = BlockingConnection.open(
                    new InetSocketAddress("127.0.0.1", port),
                    "server",
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    ProtocolLimits.DEFAULT,
                    Tls.context(server, presented -> {
                        if (!presented.value().equals(agentIdentity)) {
                            throw new PeerIdentityException(
                                    "expected " + agentIdentity + ", got " + presented, presented);
                        }
                    }),
                    null)) {
                assertNotNull(c, "the agent answered a server's Hello");
            }
        } finally {
            agent.destroy(); // SIGTERM, as an init system stops it
            agent.waitFor();
        }
        String stderr = Files.readString(log);
        assertTrue(stderr.contains("no --allow given: every backup request will be refused"), stderr);
        assertFalse(stderr.contains("Exception"), stderr);
    }

    /** A server identity for the agent to trust. */
    private Identity server() throws IOException {
        return Identity.loadOrCreate(dir.resolve("server"), "backup-server");
    }

    /** The agent as the launcher starts it: its module on the module path this test runs with. */
    private static List<String> javaCommand(String... args) {
        String modulePath = System.getProperty("jdk.module.path");
        assertNotNull(modulePath, "the tests run on the module path");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "--module-path",
                modulePath,
                "-m",
                "org.clusterbackup.agent/org.clusterbackup.agent.AgentMain"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Captured(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private static Captured run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AgentMain());
        Cli.configure(cl);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Captured(exit, out.toString(), err.toString());
    }
}
