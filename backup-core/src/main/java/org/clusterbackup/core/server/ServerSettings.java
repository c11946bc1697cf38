package org.clusterbackup.core.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a backup server runs, fixed at start.
 *
 * @param listen control-plane address; port 0 picks a free port
 * @param dataDir where the catalog and archives live
 */
public record ServerSettings(InetSocketAddress listen, Path dataDir) {
    public ServerSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
    }
}
