package org.clusterbackup.core.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a backup server runs, fixed at start.
 *
 * @param listen control-plane address; port 0 picks a free port
 * @param dataDir where the catalog and archives live
 * @param keep archives kept per target; older ones are pruned
 * @param maxConcurrent backup runs at once, manual ones included
 * @param agentConnectTimeout how long to wait for an agent to accept a connection
 * @param agentIdleTimeout how long an agent may stay silent mid-run (agents send keep-alives while busy)
 */
public record ServerSettings(InetSocketAddress listen, Path dataDir, int keep, int maxConcurrent,
                             Duration agentConnectTimeout, Duration agentIdleTimeout) {
    public static final int DEFAULT_KEEP = 10;
    public static final int DEFAULT_MAX_CONCURRENT = 4;

    public ServerSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
        }
        Objects.requireNonNull(agentConnectTimeout, "agentConnectTimeout");
        Objects.requireNonNull(agentIdleTimeout, "agentIdleTimeout");
    }

    /** Defaults for everything but the address and data dir. */
    public ServerSettings(InetSocketAddress listen, Path dataDir) {
        this(listen, dataDir, DEFAULT_KEEP, DEFAULT_MAX_CONCURRENT, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public ServerSettings withKeep(int n) {
        return new ServerSettings(listen, dataDir, n, maxConcurrent, agentConnectTimeout, agentIdleTimeout);
    }

    public ServerSettings withMaxConcurrent(int n) {
        return new ServerSettings(listen, dataDir, keep, n, agentConnectTimeout, agentIdleTimeout);
    }

}
