package org.clusterbackup.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Set;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.TransportConfig;

/**
 * A running backup server: the catalog in its data dir and the control-plane listener. Create with
 * {@link #start}; {@link #close} stops it and releases the data dir.
 */
public final class BackupServer implements AutoCloseable {
    /** Roles that may use the control plane. */
    public static final Set<String> CONTROL_ROLES = Set.of("cli", "console");

    private final DataDirLock lock;
    private final Catalog catalog;
    private final NioServer listener;

    private BackupServer(DataDirLock lock, Catalog catalog, NioServer listener) {
        this.lock = lock;
        this.catalog = catalog;
        this.listener = listener;
    }

    /**
     * Opens the data dir and starts listening.
     *
     * @throws IOException the data dir cannot be created or is in use, or the address cannot be bound
     */
    public static BackupServer start(ServerSettings settings, Clock clock) throws IOException {
        Files.createDirectories(settings.dataDir());
        DataDirLock lock = DataDirLock.acquire(settings.dataDir());
        Catalog catalog = null;
        try {
            catalog = Catalog.open(settings.dataDir().resolve("catalog.db"), clock);
            Catalog c = catalog;
            NioServer listener = NioServer.start(TransportConfig.of(settings.listen(), "server", CONTROL_ROLES),
                    connection -> new ControlHandler(connection, c));
            return new BackupServer(lock, catalog, listener);
        } catch (IOException | RuntimeException e) {
            if (catalog != null) {
                catalog.close();
            }
            lock.close();
            throw e;
        }
    }

    /** The control-plane address, with the real port. */
    public InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() throws IOException {
        try {
            listener.close();
            catalog.close();
        } finally {
            lock.close();
        }
    }
}
