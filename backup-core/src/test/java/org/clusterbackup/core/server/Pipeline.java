package org.clusterbackup.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;

/**
 * A real server on 127.0.0.1 and a real agent on 127.0.0.2, both on free ports, in this JVM: the pipeline
 * as users run it, with the seams a test needs to fail it on cue.
 */
final class Pipeline implements AutoCloseable {
    final Path dir;
    final Path source;
    final Path dataDir;
    RunningServer server;
    BackupAgent agent;
    BackupClient client;
    ServerSettings settings;
    ArchiveStore.WriteHook disk = ArchiveStore.WriteHook.NONE;
    RunHooks hooks = RunHooks.NONE;
    ArchiveOptions archive = ArchiveOptions.defaults();
    List<Path> restoreRoots = List.of();

    Pipeline(Path dir) throws IOException {
        this.dir = dir;
        this.source = Files.createDirectories(dir.resolve("src"));
        this.dataDir = dir.resolve("data");
        // Only the runs a test asks for: targets registered here are not run by the schedule for an hour.
        this.settings = new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                .withFirstRunDelay(Duration.ofHours(1));
    }

    Pipeline startAgent() throws IOException {
        return startAgent(0);
    }

    /** Starts the agent on a given port: a restarted agent keeps its address, as on a real node. */
    Pipeline startAgent(int port) throws IOException {
        // The agent serves this pipeline's server, whose identity exists before the server first starts.
        agent = BackupAgent.start(
                agentSettings(port).withTrustedServers(List.of(BackupServer.identityOf(settings.dataDir()))));
        return this;
    }

    /** The agent's settings on 127.0.0.2:port, before any server is trusted: a test adds its own trust. */
    AgentSettings agentSettings(int port) {
        return new AgentSettings(
                new InetSocketAddress("127.0.0.2", port),
                List.of(source),
                dir.resolve("agent-state"),
                archive,
                restoreRoots);
    }

    Pipeline startServer() throws IOException {
        server = RunningServer.start(settings, Clock.systemUTC(), disk, hooks);
        client = adminOf(server);
        return this;
    }

    /**
     * A real server on loopback whose targets wait an hour for their first run: for tests of the control
     * plane alone (registration, listings, the change cursor), with no run in between.
     */
    static BackupServer idleServer(Path dataDir) throws IOException {
        return BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(Duration.ofHours(1)),
                Clock.systemUTC());
    }

    /** A client of {@code server} as its first operator: pinning its identity, holding its admin token. */
    static BackupClient adminOf(BackupServer server) throws IOException {
        return BackupClient.of(new HostPort("127.0.0.1", server.address().getPort()), "cli")
                .withServerFingerprint(server.fingerprint())
                .withToken(Files.readString(server.adminTokenFile()).strip());
    }

    Pipeline start() throws IOException {
        return startAgent().startServer();
    }

    int agentPort() {
        return agent.address().getPort();
    }

    /** Registers {@code path} on the agent node and returns its selector. */
    TargetSelector register(Path path) throws IOException {
        client.register("127.0.0.2", agentPort(), path.toString(), 3600);
        return new TargetSelector("127.0.0.2", path.toString(), null);
    }

    void stopServer() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void close() throws IOException {
        stopServer();
        if (agent != null) {
            agent.close();
        }
    }
}
