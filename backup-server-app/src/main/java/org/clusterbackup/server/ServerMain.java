package org.clusterbackup.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.cli.Daemon;
import org.clusterbackup.cli.FingerprintCommand;
import org.clusterbackup.cli.Logging;
import org.clusterbackup.cli.Version;
import org.clusterbackup.core.model.DurationSpec;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.SizeSpec;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.RunLimits;
import org.clusterbackup.core.server.api.ServerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backup-server}: opens the data dir, serves the control plane, runs until stopped. */
@Command(
        name = "backup-server",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Keeps the registry of backup targets and their backups, and serves backupctl and the console.",
        subcommands = ServerMain.PrintFingerprint.class)
public final class ServerMain implements Callable<Integer> {
    /** Where the password of a PostgreSQL catalog comes from: never a flag, which any user can read in ps. */
    static final String CATALOG_PASSWORD_ENV = "BACKUP_CATALOG_PASSWORD";

    /** {@code backup-server fingerprint --data-dir DIR}. */
    @Command(
            name = "fingerprint",
            mixinStandardHelpOptions = true,
            description = "Prints the server's identity (creating it if there is none), also while the server runs.")
    static final class PrintFingerprint implements Callable<Integer> {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                defaultValue = "./backup-data",
                description = "The server's data dir. Default: ${DEFAULT-VALUE}.")
        Path dataDir;

        @Override
        public Integer call() {
            return new FingerprintCommand("backup-server", BackupServer.IDENTITY_NAME, dataDir).call();
        }
    }

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:7070",
            description = "Control-plane address (port 0 picks a free port). Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "./backup-data",
            description = "Catalog and archives. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(
            names = "--keep",
            paramLabel = "N",
            defaultValue = "10",
            description = "Archives kept per target; older ones are pruned. Default: ${DEFAULT-VALUE}.")
    int keep;

    @Option(
            names = "--max-concurrent",
            paramLabel = "N",
            defaultValue = "4",
            description = "Backup runs at once, manual ones included. Default: ${DEFAULT-VALUE}.")
    int maxConcurrent;

    @Option(
            names = "--retry-initial",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "First wait before probing an unreachable node again; doubles up to --retry-max, "
                    + "and never exceeds the target's period. Default: ${DEFAULT-VALUE}.")
    String retryInitial;

    @Option(
            names = "--retry-max",
            paramLabel = "DURATION",
            defaultValue = "5m",
            description = "Longest wait between probes of an unreachable node. Default: ${DEFAULT-VALUE}.")
    String retryMax;

    @Option(
            names = "--compression-level",
            paramLabel = "N",
            defaultValue = "6",
            description = "Deflate level of the archives, 1 (fastest) to 9 (smallest), sent to the agents with "
                    + "every backup request. Default: ${DEFAULT-VALUE}.")
    int compressionLevel;

    @Option(
            names = "--run-timeout",
            paramLabel = "DURATION",
            defaultValue = "6h",
            description = "A backup run still going after this long ends FAILED. Default: ${DEFAULT-VALUE}.")
    String runTimeout;

    @Option(
            names = "--stall-timeout",
            paramLabel = "DURATION",
            defaultValue = "5m",
            description = "A backup run with no progress (archive bytes, or scan progress the agent reports) for "
                    + "this long ends FAILED; keep-alives alone are not progress. Default: ${DEFAULT-VALUE}.")
    String stallTimeout;

    @Option(
            names = "--send-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description = "A client that reads nothing of what the server sends for this long is disconnected. "
                    + "Default: ${DEFAULT-VALUE}.")
    String sendTimeout;

    @Option(
            names = "--max-archive-size",
            paramLabel = "SIZE",
            description = "Largest archive a run may store: bytes, or a number with K, M or G. Default: unlimited.")
    String maxArchiveSize;

    @Option(
            names = "--catalog",
            paramLabel = "JDBC_URL",
            description = "A PostgreSQL catalog several servers share: jdbc:postgresql://HOST:PORT/DB (the password "
                    + "comes from the environment variable " + CATALOG_PASSWORD_ENV + "). Default: the SQLite "
                    + "catalog in the data dir.")
    String catalogUrl;

    @Option(names = "--catalog-user", paramLabel = "USER", description = "The database user of --catalog.")
    String catalogUser;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "This server's name among the servers sharing --catalog, and in list and servers."
                    + " Default: the --listen address.")
    String name;

    @Option(
            names = "--lease",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "How long this server's claims on targets last unless renewed (with --catalog). "
                    + "Default: ${DEFAULT-VALUE}.")
    String lease;

    @Option(names = "--verbose", description = "Log debug lines, and stack traces of failures.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(Cli.run(new ServerMain(), args));
    }

    @Override
    public Integer call() {
        Logging.configure(verbose);
        HostPort address;
        Duration retryFirst;
        Duration retryLongest;
        Duration send;
        RunLimits runLimits;
        Duration claimLease;
        try {
            address = HostPort.parse(listen, "--listen", true);
            retryFirst = DurationSpec.parse(retryInitial);
            retryLongest = DurationSpec.parse(retryMax);
            send = DurationSpec.parse(sendTimeout);
            claimLease = DurationSpec.parse(lease);
            runLimits = new RunLimits(
                    DurationSpec.parse(runTimeout),
                    DurationSpec.parse(stallTimeout),
                    maxArchiveSize == null ? 0 : SizeSpec.parse(maxArchiveSize, "--max-archive-size"));
        } catch (InvalidInputException e) {
            return Cli.usageError("backup-server", e.getMessage());
        }
        if (retryLongest.compareTo(retryFirst) < 0) {
            return Cli.usageError(
                    "backup-server", "--retry-max " + retryMax + " is shorter than --retry-initial " + retryInitial);
        }
        if (claimLease.compareTo(ServerSettings.MIN_LEASE) < 0) {
            return Cli.usageError(
                    "backup-server",
                    "--lease " + lease + " is shorter than " + ServerSettings.MIN_LEASE.toSeconds() + "s");
        }
        if (name != null && name.isBlank()) {
            return Cli.usageError("backup-server", "--name cannot be blank");
        }
        if (keep < 1) {
            return Cli.usageError("backup-server", "--keep " + keep + " must be at least 1");
        }
        if (maxConcurrent < 1) {
            return Cli.usageError("backup-server", "--max-concurrent " + maxConcurrent + " must be at least 1");
        }
        if (compressionLevel < BackupRequest.MIN_COMPRESSION_LEVEL
                || compressionLevel > BackupRequest.MAX_COMPRESSION_LEVEL) {
            return Cli.usageError(
                    "backup-server",
                    "--compression-level " + compressionLevel + " must be between "
                            + BackupRequest.MIN_COMPRESSION_LEVEL + " and " + BackupRequest.MAX_COMPRESSION_LEVEL);
        }
        UnaryOperator<ServerSettings> catalog;
        try {
            catalog = catalogLocation(System.getenv(CATALOG_PASSWORD_ENV));
        } catch (IllegalArgumentException e) {
            return Cli.usageError("backup-server", e.getMessage());
        }
        if (catalogUrl != null) {
            // The connection pool logs through SLF4J, for which the server ships no backend; SLF4J would print
            // three lines about that on every start. What the pool has to say reaches the operator in the
            // catalog's own one-line errors.
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        BackupServer server;
        try {
            server = BackupServer.start(
                    catalog.apply(new ServerSettings(new InetSocketAddress(address.host(), address.port()), dataDir)
                            .withKeep(keep)
                            .withMaxConcurrent(maxConcurrent)
                            .withRetry(retryFirst, retryLongest)
                            .withCompressionLevel(compressionLevel)
                            .withSendTimeout(send)
                            .withRunLimits(runLimits)
                            .withClaims(name, claimLease)),
                    Clock.systemUTC());
        } catch (IOException e) {
            System.err.println("backup-server: cannot start: " + Cli.oneLine(e));
            return Cli.EXIT_START_FAILED;
        }
        return Daemon.runUntilStopped("backup-server", server::close, server.address(), server.fingerprint());
    }

    /** The SQLite files in the data dir without {@code --catalog}, else the PostgreSQL database it names. */
    UnaryOperator<ServerSettings> catalogLocation(String password) {
        if (catalogUrl == null) {
            if (catalogUser != null) {
                throw new IllegalArgumentException("--catalog-user needs --catalog");
            }
            return UnaryOperator.identity();
        }
        if (!catalogUrl.startsWith(ServerSettings.POSTGRES_URL_PREFIX)) {
            throw new IllegalArgumentException("--catalog must be a " + ServerSettings.POSTGRES_URL_PREFIX
                    + "HOST:PORT/DB URL (without it the catalog is the SQLite file in the data dir)");
        }
        if (catalogUser == null || catalogUser.isBlank()) {
            throw new IllegalArgumentException("--catalog needs --catalog-user");
        }
        String url = catalogUrl;
        String user = catalogUser;
        return settings -> settings.withPostgresCatalog(url, user, password);
    }
}
