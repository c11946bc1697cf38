package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.catalog.PostgresLocation;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;

/** What the tests of several servers share. */
final class Clusters {
    private Clusters() {}

    /**
     * An admin's client of one server of a cluster: the first server to start wrote the admin token, and
     * the catalog they share makes it good on every one of them.
     */
    static BackupClient admin(BackupServer server, String token) {
        return BackupClient.of(new HostPort("127.0.0.1", server.address().getPort()), "cli")
                .withServerFingerprint(server.fingerprint())
                .withToken(token);
    }

    /** A server of the cluster on {@code location}, named {@code name}, listening on a port of 127.0.0.1. */
    static BackupServer server(PostgresLocation location, Path dataDir, String name, Duration lease, RunHooks hooks)
            throws IOException {
        return RunningServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withCatalog(location)
                        .withClaims(name, lease),
                Clock.systemUTC(),
                ArchiveStore.WriteHook.NONE,
                hooks);
    }

    /**
     * An agent on 127.0.0.2 trusting {@code servers}, serving {@code count} directories of one small file
     * each, made under {@code dir/src} and added to {@code trees}.
     */
    static BackupAgent agent(Path dir, int count, List<Path> trees, List<Fingerprint> servers) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src"));
        for (int i = 0; i < count; i++) {
            Path tree = Files.createDirectories(source.resolve("app-" + i));
            Files.writeString(tree.resolve("data.txt"), "target " + i + "\n");
            trees.add(tree);
        }
        return BackupAgent.start(new AgentSettings(
                        new InetSocketAddress("127.0.0.2", 0),
                        List.of(source),
                        dir.resolve("agent-state"),
                        ArchiveOptions.defaults(),
                        List.of())
                .withTrustedServers(servers));
    }

    /** Waits for the other side of a seam; a bound only so that a broken test ends. */
    static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(2, TimeUnit.MINUTES), "timed out waiting for the other side");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
