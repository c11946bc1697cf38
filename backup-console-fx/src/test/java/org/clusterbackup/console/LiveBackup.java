package org.clusterbackup.console;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.server.RunHooks;
import org.clusterbackup.core.server.RunningServer;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;

/**
 * A real backup server on 127.0.0.1 and a real agent on 127.0.0.2, both on free ports, in this JVM: what
 * the console talks to in the UI tests. Targets registered here run only when asked (the schedule's first
 * run is an hour away), and a run can be held mid-transfer to look at the console while it runs.
 */
public final class LiveBackup implements AutoCloseable {
    public static final String NODE = "127.0.0.2";

    private final Path dir;
    private final Path allowed;
    private final ServerSettings settings;
    private BackupServer server;
    private int serverPort;
    private final BackupAgent agent;
    private final Fingerprint serverIdentity;
    private volatile CountDownLatch hold;

    public LiveBackup(Path dir) throws IOException {
        this.dir = dir;
        this.allowed = Files.createDirectories(dir.resolve("srv"));
        this.serverIdentity = BackupServer.identityOf(dir.resolve("data"));
        this.agent = BackupAgent.start(AgentSettings.of(
                        new InetSocketAddress(NODE, 0), List.of(allowed), dir.resolve("agent-state"), List.of())
                .withTrustedServers(List.of(serverIdentity)));
        this.settings = new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dir.resolve("data"))
                .withFirstRunDelay(Duration.ofHours(1));
        startServer();
    }

    /** Starts the server; after {@link #stopServer()}, on the port it had, as a restarted server would. */
    public void startServer() throws IOException {
        ServerSettings s = serverPort == 0
                ? settings
                : new ServerSettings(new InetSocketAddress("127.0.0.1", serverPort), settings.dataDir())
                        .withFirstRunDelay(settings.firstRunDelay());
        server = RunningServer.start(s, Clock.systemUTC(), ArchiveStore.WriteHook.NONE, new RunHooks() {
            @Override
            public void afterData(long targetId, long received) {
                CountDownLatch h = hold;
                if (h != null) {
                    try {
                        h.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        serverPort = server.address().getPort();
    }

    public void stopServer() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Runs stop after their first archive bytes until {@link #releaseRuns()}. */
    public void holdRuns() {
        hold = new CountDownLatch(1);
    }

    public void releaseRuns() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    public HostPort serverAddress() {
        return new HostPort("127.0.0.1", serverPort);
    }

    public int agentPort() {
        return agent.address().getPort();
    }

    /** A client of our own, to set the scene and check what the server has, beside the console. */
    public BackupClient client() {
        return BackupClient.of(serverAddress(), "cli")
                .withServerFingerprint(serverIdentity)
                .withToken(adminToken());
    }

    /**
     * How the console reaches this server: as an operator who pinned its identity and holds its admin
     * token, from an environment of this test's own (never the user's config dir).
     */
    public OperatorAccess operator() {
        return new OperatorAccess(
                Map.of(
                        "XDG_CONFIG_HOME",
                        dir.resolve("operator-config").toString(),
                        OperatorAccess.FINGERPRINT_ENV,
                        serverIdentity.value(),
                        OperatorAccess.TOKEN_ENV,
                        adminToken()),
                null,
                null);
    }

    /** The admin token the server wrote at its first start. */
    public String adminToken() {
        try {
            return Files.readString(dir.resolve("data").resolve("admin.token")).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@link ServerGateway#connect} as this server's operator. */
    public ServerGateway gateway(HostPort server) {
        return ServerGateway.connect(server, operator());
    }

    /** A directory the agent may back up, with a file of {@code bytes} bytes in it. */
    public Path app(String name, int bytes) throws IOException {
        Path app = Files.createDirectories(allowed.resolve(name));
        byte[] content = new byte[bytes];
        new java.util.Random(name.hashCode()).nextBytes(content); // incompressible: the size shows
        Files.write(app.resolve("data.bin"), content);
        Files.writeString(app.resolve("README"), "sample application " + name + "\n");
        return app;
    }

    /** A path outside the agent's allowed directory: its runs fail. */
    public Path outside(String name) throws IOException {
        return Files.createDirectories(dir.resolve("elsewhere").resolve(name));
    }

    public TargetInfo register(Path path) throws IOException {
        return client().register(NODE, agentPort(), path.toString(), 3600);
    }

    @Override
    public void close() throws IOException {
        releaseRuns();
        try {
            stopServer();
        } finally {
            agent.close();
        }
    }
}
