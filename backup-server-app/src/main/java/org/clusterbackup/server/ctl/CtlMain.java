package org.clusterbackup.server.ctl;

import java.nio.file.Path;
import java.util.Map;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.cli.Version;
import org.clusterbackup.core.client.OperatorAccess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code backupctl}: the light client of the backup server. */
@Command(
        name = "backupctl",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        usageHelpAutoWidth = true,
        description = "Registers backup targets on a backup server and shows what it did.",
        subcommands = {
            RegisterCommand.class,
            UnregisterCommand.class,
            ListCommand.class,
            RunCommand.class,
            BackupsCommand.class,
            LogCommand.class,
            FetchCommand.class,
            FilesCommand.class,
            ChangesCommand.class,
            VerifyCommand.class,
            RestoreCommand.class,
            TrustCommand.class,
            TokenCommand.class,
            AuditCommand.class,
            ServersCommand.class,
            CompletionCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 done, 1 the server reported an internal error, 2 usage error,",
            "3 refused or not found, 4 server unreachable or a protocol failure,",
            "5 a backup or restore failed on the node, 6 integrity problem,",
            "7 not authenticated or not allowed (token, role, server identity)."
        })
public final class CtlMain implements Runnable {
    static final String DEFAULT_SERVER = "127.0.0.1:7070";
    static final String SERVER_ENV = "BACKUP_SERVER";

    @Option(
            names = "--server",
            paramLabel = "HOST:PORT",
            scope = ScopeType.INHERIT,
            description = "Backup server. Default: $" + SERVER_ENV + ", else " + DEFAULT_SERVER + ".")
    String server;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of a table.")
    boolean json;

    @Option(
            names = "--server-fingerprint",
            paramLabel = "FP",
            scope = ScopeType.INHERIT,
            description = "The server's identity (SHA256:…, as `backup-server fingerprint` prints it); pins it in "
                    + "known_servers. Default: $" + OperatorAccess.FINGERPRINT_ENV + ", else that pin.")
    String serverFingerprint;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "File holding the token to present. Default: $" + OperatorAccess.TOKEN_ENV
                    + " (the token itself), else the file token beside known_servers.")
    Path tokenFile;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    /** What {@code --from -} reads; tests give their own. */
    private java.io.InputStream stdin = System.in;

    public CtlMain() {
        this(System.getenv());
    }

    /** @param env the environment to read {@code BACKUP_SERVER} from (tests pass their own) */
    public CtlMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new CtlMain()).execute(args));
    }

    /** A configured command line: one-line usage errors, contract exit codes. */
    public static CommandLine commandLine(CtlMain main) {
        CommandLine cl = new CommandLine(main);
        Cli.configure(cl);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing command: register, unregister, list, run, backups, log, fetch, files, verify, restore, "
                        + "trust, token or audit");
    }

    /** This command line, reading {@code -} files from {@code in} instead of the process's stdin. */
    CtlMain withStdin(java.io.InputStream in) {
        this.stdin = java.util.Objects.requireNonNull(in, "in");
        return this;
    }

    java.io.InputStream stdin() {
        return stdin;
    }

    /** The server address as the user chose it: flag, then environment, then the default. */
    String serverAddress() {
        if (server != null) {
            return server;
        }
        String fromEnv = env.get(SERVER_ENV);
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_SERVER : fromEnv;
    }

    /** The operator's pins and token, from the flags and this environment. */
    OperatorAccess access() {
        return new OperatorAccess(env, serverFingerprint, tokenFile);
    }

    String serverSource() {
        return server != null ? "--server" : env.get(SERVER_ENV) != null ? SERVER_ENV : "default server";
    }
}
