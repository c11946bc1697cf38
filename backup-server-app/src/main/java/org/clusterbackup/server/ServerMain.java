package org.clusterbackup.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.clusterbackup.core.catalog.CatalogException;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.server.BackupServer;
import org.clusterbackup.core.server.ServerSettings;
import org.clusterbackup.core.cli.Cli;
import org.clusterbackup.core.cli.Daemon;
import org.clusterbackup.core.cli.Logging;
import org.clusterbackup.core.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backup-server}: opens the data dir, serves the control plane, runs until stopped. */
@Command(name = "backup-server", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Keeps the registry of backup targets and their backups, and serves backupctl and the console.")
public final class ServerMain implements Callable<Integer> {
    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7070",
            description = "Control-plane address (port 0 picks a free port). Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./backup-data",
            description = "Catalog and archives. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "10",
            description = "Archives kept per target; older ones are pruned. Default: ${DEFAULT-VALUE}.")
    int keep;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "4",
            description = "Backup runs at once, manual ones included. Default: ${DEFAULT-VALUE}.")
    int maxConcurrent;

    @Option(names = "--verbose", description = "Log debug lines, and stack traces of failures.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(Cli.run(new ServerMain(), args));
    }

    @Override
    public Integer call() {
        Logging.configure(verbose);
        HostPort address;
        try {
            address = HostPort.parse(listen, "--listen", true);
        } catch (InvalidInputException e) {
            return Cli.usageError("backup-server", e.getMessage());
        }
        if (keep < 1) {
            return Cli.usageError("backup-server", "--keep " + keep + " must be at least 1");
        }
        if (maxConcurrent < 1) {
            return Cli.usageError("backup-server", "--max-concurrent " + maxConcurrent + " must be at least 1");
        }
        BackupServer server;
        try {
            server = BackupServer.start(new ServerSettings(new InetSocketAddress(address.host(), address.port()),
                    dataDir).withKeep(keep).withMaxConcurrent(maxConcurrent), Clock.systemUTC());
        } catch (IOException | CatalogException e) {
            System.err.println("backup-server: cannot start: " + Cli.oneLine(e));
            return Cli.EXIT_START_FAILED;
        }
        return Daemon.runUntilStopped("backup-server", server::close, server.address());
    }
}
