package org.clusterbackup.core.server.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.clusterbackup.core.catalog.CatalogLocation;
import org.clusterbackup.core.catalog.PostgresLocation;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.protocol.BackupRequest;

/**
 * How a backup server runs, fixed at start.
 *
 * @param listen control-plane address; port 0 picks a free port
 * @param dataDir where the catalog and archives live
 * @param keep archives kept per target; older ones are pruned
 * @param maxConcurrent backup runs at once, manual ones included
 * @param agentConnectTimeout how long to wait for an agent to accept a connection
 * @param agentIdleTimeout how long an agent may stay silent mid-run (agents send keep-alives while busy)
 * @param retryInitial first wait before probing an unreachable node again (then doubling)
 * @param retryMax longest wait between probes
 * @param firstRunDelay how long a new target waits before its first scheduled run (0: at once). Tests of the
 *        pipeline set it long, so that only the runs they ask for happen.
 * @param compressionLevel deflate level, 1 to 9, sent to agents in every backup request (the server owns
 *        it, so archives it builds itself compress as the agents' do)
 * @param sendTimeout a client that reads nothing of what the server sends for this long is cut off
 * @param runLimits how long a backup run may take, or go without progress, and how big its archive may be
 * @param catalog where the catalog and security store live: SQLite files in the data dir, or a PostgreSQL
 *        database several servers share
 * @param name this server's name among those sharing a catalog; null for the listener's HOST:PORT
 * @param lease how long a claim on a target lasts unless renewed (shared catalogs only)
 */
public record ServerSettings(
        InetSocketAddress listen,
        Path dataDir,
        int keep,
        int maxConcurrent,
        Duration agentConnectTimeout,
        Duration agentIdleTimeout,
        Duration retryInitial,
        Duration retryMax,
        Duration firstRunDelay,
        int compressionLevel,
        Duration sendTimeout,
        RunLimits runLimits,
        CatalogLocation catalog,
        String name,
        Duration lease) {
    public static final int DEFAULT_KEEP = 10;
    public static final int DEFAULT_MAX_CONCURRENT = 4;
    public static final int DEFAULT_COMPRESSION_LEVEL = BackupRequest.DEFAULT_COMPRESSION_LEVEL;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** Renewals come every third of a lease: shorter leases would renew more often than a database likes. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(1);

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
        if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("retry waits must be positive with retryMax (" + retryMax
                    + ") at least retryInitial (" + retryInitial + ")");
        }
        if (firstRunDelay.isNegative()) {
            throw new IllegalArgumentException("firstRunDelay cannot be negative, was " + firstRunDelay);
        }
        if (compressionLevel < BackupRequest.MIN_COMPRESSION_LEVEL
                || compressionLevel > BackupRequest.MAX_COMPRESSION_LEVEL) {
            throw new IllegalArgumentException("compressionLevel must be between " + BackupRequest.MIN_COMPRESSION_LEVEL
                    + " and " + BackupRequest.MAX_COMPRESSION_LEVEL + ", was " + compressionLevel);
        }
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        Objects.requireNonNull(runLimits, "runLimits");
        Objects.requireNonNull(catalog, "catalog");
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("name cannot be blank");
        }
        Objects.requireNonNull(lease, "lease");
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException("lease must be at least " + MIN_LEASE.toSeconds() + "s, was " + lease);
        }
    }

    /** How a PostgreSQL catalog's URL starts ({@code --catalog}). */
    public static final String POSTGRES_URL_PREFIX = PostgresLocation.URL_PREFIX;

    /**
     * With the catalog and security store in the PostgreSQL database at {@code url} (a
     * {@link #POSTGRES_URL_PREFIX}{@code HOST:PORT/DB} URL), shared with the other servers that name it.
     *
     * @throws IllegalArgumentException the URL is not a PostgreSQL one
     */
    public ServerSettings withPostgresCatalog(String url, String user, String password) {
        return withCatalog(new PostgresLocation(url, user, password));
    }

    /** Defaults for everything but the address and data dir. */
    public ServerSettings(InetSocketAddress listen, Path dataDir) {
        this(
                listen,
                dataDir,
                DEFAULT_KEEP,
                DEFAULT_MAX_CONCURRENT,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                Duration.ZERO,
                DEFAULT_COMPRESSION_LEVEL,
                PeerLimits.DEFAULT_SEND_TIMEOUT,
                RunLimits.DEFAULTS,
                CatalogLocation.DATA_DIR,
                null,
                DEFAULT_LEASE);
    }

    public ServerSettings withKeep(int n) {
        return new ServerSettings(
                listen,
                dataDir,
                n,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                firstRunDelay,
                compressionLevel,
                sendTimeout,
                runLimits,
                catalog,
                name,
                lease);
    }

    public ServerSettings withMaxConcurrent(int n) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                n,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                firstRunDelay,
                compressionLevel,
                sendTimeout,
                runLimits,
                catalog,
                name,
                lease);
    }

    public ServerSettings withRetry(Duration initial, Duration max) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                initial,
                max,
                firstRunDelay,
                compressionLevel,
                sendTimeout,
                runLimits,
                catalog,
                name,
                lease);
    }

    public ServerSettings withFirstRunDelay(Duration delay) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                delay,
                compressionLevel,
                sendTimeout,
                runLimits,
                catalog,
                name,
                lease);
    }

    public ServerSettings withCompressionLevel(int level) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                firstRunDelay,
                level,
                sendTimeout,
                runLimits,
                catalog,
                name,
                lease);
    }

    public ServerSettings withSendTimeout(Duration timeout) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                firstRunDelay,
                compressionLevel,
                timeout,
                runLimits,
                catalog,
                name,
                lease);
    }

    public ServerSettings withRunLimits(RunLimits limits) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                firstRunDelay,
                compressionLevel,
                sendTimeout,
                limits,
                catalog,
                name,
                lease);
    }

    public ServerSettings withCatalog(CatalogLocation location) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                firstRunDelay,
                compressionLevel,
                sendTimeout,
                runLimits,
                location,
                name,
                lease);
    }

    /** A name and lease for claims on a shared catalog. */
    public ServerSettings withClaims(String serverName, Duration claimLease) {
        return new ServerSettings(
                listen,
                dataDir,
                keep,
                maxConcurrent,
                agentConnectTimeout,
                agentIdleTimeout,
                retryInitial,
                retryMax,
                firstRunDelay,
                compressionLevel,
                sendTimeout,
                runLimits,
                catalog,
                serverName,
                claimLease);
    }
}
