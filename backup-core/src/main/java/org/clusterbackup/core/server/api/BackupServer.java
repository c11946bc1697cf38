package org.clusterbackup.core.server.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.server.RunningServer;

/**
 * A running backup server: the catalog in its data dir and the control-plane listener. Create with
 * {@link #start}; {@link #close} stops it and releases the data dir.
 *
 * <p>This is the server's whole public face. Its parts (runs, scheduler, store, the seams tests use to act
 * inside a run) live in packages the core does not export.
 */
public interface BackupServer extends AutoCloseable {
    /** The common name in the server's certificate. */
    String IDENTITY_NAME = "backup-server";

    /**
     * Opens the data dir and starts listening.
     *
     * @throws IOException the data dir cannot be created, is in use or holds a catalog that cannot be opened,
     *         or the address cannot be bound
     */
    static BackupServer start(ServerSettings settings, Clock clock) throws IOException {
        return RunningServer.start(settings, clock);
    }

    /**
     * The identity of the server that uses {@code dataDir}, creating it if there is none: what
     * {@code backup-server fingerprint} prints, and what an agent must trust before the server first starts.
     */
    static Fingerprint identityOf(Path dataDir) throws IOException {
        return Identity.loadOrCreate(dataDir, IDENTITY_NAME).fingerprint();
    }

    /** This server's identity, as agents and operators pin it. */
    Fingerprint fingerprint();

    /** {@code DATA_DIR/admin.token}: the admin token the first start wrote, while nobody removed it. */
    Path adminTokenFile();

    /** The control-plane address, with the real port. */
    InetSocketAddress address();

    /** Stops listening, waits a bounded time for runs in progress, and releases the data dir. */
    @Override
    void close() throws IOException;
}
