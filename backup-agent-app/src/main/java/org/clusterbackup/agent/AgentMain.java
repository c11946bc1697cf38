package org.clusterbackup.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.cli.Daemon;
import org.clusterbackup.cli.FingerprintCommand;
import org.clusterbackup.cli.Logging;
import org.clusterbackup.cli.Version;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.agent.RestoreSettings;
import org.clusterbackup.core.model.DurationSpec;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.SizeSpec;
import org.clusterbackup.core.security.Fingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backup-agent}: serves backups of the allowed directories of this node to backup servers. */
@Command(
        name = "backup-agent",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Serves recursive .tgz backups of this node's directories to backup servers.",
            "Only paths inside an --allow directory are served; without --allow every request is refused."
        },
        subcommands = AgentMain.PrintFingerprint.class)
public final class AgentMain implements Callable<Integer> {
    /** {@code backup-agent fingerprint --state-dir DIR}. */
    @Command(
            name = "fingerprint",
            mixinStandardHelpOptions = true,
            description = "Prints the agent's identity (creating it if there is none), also while the agent runs.")
    static final class PrintFingerprint implements Callable<Integer> {
        @Option(
                names = "--state-dir",
                paramLabel = "DIR",
                defaultValue = "./agent-state",
                description = "The agent's state dir. Default: ${DEFAULT-VALUE}.")
        Path stateDir;

        @Override
        public Integer call() {
            return new FingerprintCommand("backup-agent", BackupAgent.IDENTITY_NAME, stateDir).call();
        }
    }

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:7071",
            description = "Data-plane address (port 0 picks a free port). Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(
            names = "--allow",
            paramLabel = "DIR",
            arity = "1..*",
            description = "A directory (with everything below it) that backups may read. Repeatable.")
    List<Path> allow = new ArrayList<>();

    @Option(
            names = "--restore-root",
            paramLabel = "DIR",
            arity = "1..*",
            description = "A directory below which restores may create their target. Repeatable. Without it "
                    + "every restore is refused: reading (--allow) and writing are separate permissions.")
    List<Path> restoreRoots = new ArrayList<>();

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "./agent-state",
            description = "Stat caches that let unchanged trees be recognised without reading files. "
                    + "Default: ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(
            names = "--trust-server",
            paramLabel = "FINGERPRINT",
            arity = "1..*",
            description = "Identity of a backup server this agent serves (SHA256:…, as `backup-server fingerprint` "
                    + "prints it). Repeatable. Other servers are refused in the TLS handshake.")
    List<String> trustServers = new ArrayList<>();

    @Option(
            names = "--trust-file",
            paramLabel = "FILE",
            description = "A file of trusted server fingerprints, one a line (# comments); re-read when it changes.")
    Path trustFile;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads that compress an archive's segments in parallel, 1 to "
                    + AgentSettings.MAX_THREADS + ". The archive's bytes do not depend on it. "
                    + "Default: the number of cores (here ${DEFAULT-VALUE}).")
    int threads = AgentSettings.defaultThreads();

    @Option(
            names = "--no-xattrs",
            description = "Do not archive extended attributes (user.*, as SCHILY.xattr.* PAX records).")
    boolean noXattrs;

    @Option(
            names = "--no-hard-links",
            description = "Archive every name of a file with several names as a separate file, not as hard links.")
    boolean noHardLinks;

    @Option(
            names = "--no-sparse",
            description = "Archive files with holes whole (zeros included) instead of in the PAX sparse format; "
                    + "saves a first read of each file over 1 MiB.")
    boolean noSparse;

    @Option(
            names = "--no-subsecond-times",
            description = "Archive modification times in whole seconds, without PAX mtime records.")
    boolean noSubsecondTimes;

    @Option(
            names = "--restore-max-files",
            paramLabel = "N",
            description = "Entries (files, directories, links) one restore may create; more refuse it. "
                    + "Default: unlimited.")
    Long restoreMaxFiles;

    @Option(
            names = "--restore-max-bytes",
            paramLabel = "SIZE",
            description = "File content one restore may write (bytes, or with K, M, G; holes of sparse files do "
                    + "not count); more refuse it. Default: unlimited, but never more than 95% of the space free "
                    + "when the restore starts.")
    String restoreMaxBytes;

    @Option(
            names = "--restore-setid",
            description = "Restore setuid and setgid bits. Without it they are dropped, and the restore's result "
                    + "says how many were.")
    boolean restoreSetid;

    @Option(
            names = "--send-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description = "A server that reads nothing of what the agent sends for this long is disconnected "
                    + "(and the directory it was backing up is free again). Default: ${DEFAULT-VALUE}.")
    String sendTimeout;

    @Option(names = "--verbose", description = "Log debug lines.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(Cli.run(new AgentMain(), args));
    }

    @Override
    public Integer call() {
        Logging.configure(verbose);
        HostPort address;
        List<Fingerprint> servers = new ArrayList<>();
        RestoreSettings restore;
        Duration send;
        try {
            address = HostPort.parse(listen, "--listen", true);
            for (String fp : trustServers) {
                servers.add(Fingerprint.parse(fp, "--trust-server"));
            }
            restore = restoreSettings();
            send = DurationSpec.parse(sendTimeout);
        } catch (InvalidInputException e) {
            return Cli.usageError("backup-agent", e.getMessage());
        }
        if (threads < 1 || threads > AgentSettings.MAX_THREADS) {
            return Cli.usageError(
                    "backup-agent", "--threads " + threads + " must be between 1 and " + AgentSettings.MAX_THREADS);
        }
        BackupAgent agent;
        try {
            agent = BackupAgent.start(AgentSettings.of(
                            new InetSocketAddress(address.host(), address.port()), allow, stateDir, restoreRoots)
                    .withThreads(threads)
                    .withFidelity(!noXattrs, !noHardLinks, !noSparse, !noSubsecondTimes)
                    .withRestore(restore)
                    .withSendTimeout(send)
                    .withTrustedServers(servers)
                    .withTrustFile(trustFile));
        } catch (IOException e) {
            System.err.println("backup-agent: cannot start: " + Cli.oneLine(e));
            return Cli.EXIT_START_FAILED;
        }
        if (allow.isEmpty()) {
            System.err.println("backup-agent: no --allow given: every backup request will be refused");
        }
        return Daemon.runUntilStopped("backup-agent", agent::close, agent.address(), agent.fingerprint());
    }

    private RestoreSettings restoreSettings() {
        if (restoreMaxFiles != null && restoreMaxFiles < 1) {
            throw new InvalidInputException("--restore-max-files must be at least 1, was " + restoreMaxFiles);
        }
        return RestoreSettings.DEFAULT.withLimits(
                restoreMaxFiles == null ? Long.MAX_VALUE : restoreMaxFiles,
                restoreMaxBytes == null ? Long.MAX_VALUE : SizeSpec.parse(restoreMaxBytes, "--restore-max-bytes"),
                restoreSetid);
    }
}
