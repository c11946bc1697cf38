package org.clusterbackup.console;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.cli.Logging;
import org.clusterbackup.cli.Version;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.model.DurationSpec;
import org.clusterbackup.core.model.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backup-console}: opens the console window on a backup server. */
@Command(
        name = "backup-console",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        usageHelpAutoWidth = true,
        description = {
            "Opens the Cluster Backup console: a backup server's targets, their backups and the "
                    + "execution log, refreshed every few seconds.",
            "A window needs a display and GTK 3 (Debian/Ubuntu: apt-get install libgtk-3-0)."
        },
        footer = {"", "Exit codes: 0 window closed, 1 no window could be opened, 2 usage error."})
public final class ConsoleMain implements Callable<Integer> {
    static final String DEFAULT_SERVER = "127.0.0.1:7070";
    static final String SERVER_ENV = "BACKUP_SERVER";

    @Option(
            names = "--server",
            paramLabel = "HOST:PORT",
            description = "Backup server. Default: $" + SERVER_ENV + ", else " + DEFAULT_SERVER + ".")
    String server;

    @Option(
            names = "--server-fingerprint",
            paramLabel = "FP",
            description = "The server's identity (SHA256:…, as `backup-server fingerprint` prints it); pins it. "
                    + "Default: $" + OperatorAccess.FINGERPRINT_ENV + ", else the pin in known_servers.")
    String serverFingerprint;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the token to present. Default: $" + OperatorAccess.TOKEN_ENV
                    + ", else the file token beside known_servers.")
    java.nio.file.Path tokenFile;

    @Option(
            names = "--refresh",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "How often to fetch everything again and retry an unreachable server "
                    + "(500ms, 5s, 1m). Default: ${DEFAULT-VALUE}.")
    String refresh;

    private final Map<String, String> env;

    public ConsoleMain() {
        this(System.getenv());
    }

    ConsoleMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new ConsoleMain());
        Cli.configure(cl);
        int code = cl.execute(args);
        if (code != Cli.EXIT_OK) {
            System.exit(code);
        }
        // With a window open, the FX thread keeps the JVM alive until the window closes.
    }

    @Override
    public Integer call() {
        ConsoleSettings settings;
        OperatorAccess access;
        try {
            settings = settings();
            access = new OperatorAccess(env, serverFingerprint, tokenFile);
        } catch (IllegalArgumentException e) { // InvalidInputException from the flags, or a setting out of range
            return Cli.usageError("backup-console", e.getMessage());
        }
        Logging.configure(false);
        try {
            open(settings, server -> ServerGateway.connect(server, access));
            return Cli.EXIT_OK;
        } catch (RuntimeException | LinkageError | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            System.err.println("backup-console: cannot open a window: " + Cli.oneLine(cause)
                    + " (a window needs a display, named by DISPLAY, and GTK 3: apt-get install libgtk-3-0)");
            return Cli.EXIT_START_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.EXIT_START_FAILED;
        }
    }

    /** The flags, then the environment, then the defaults. */
    ConsoleSettings settings() {
        String address = server;
        String source = "--server";
        if (address == null) {
            address = env.get(SERVER_ENV);
            source = SERVER_ENV;
            if (address == null || address.isBlank()) {
                address = DEFAULT_SERVER;
                source = "default server";
            }
        }
        HostPort hp = HostPort.parse(address, source, false);
        Duration every = DurationSpec.parse(refresh);
        return new ConsoleSettings(hp, every);
    }

    /** Starts JavaFX and opens the window; returns once it is shown, or throws why it could not be. */
    private static void open(ConsoleSettings settings, java.util.function.Function<HostPort, ServerGateway> connector)
            throws ExecutionException, InterruptedException {
        CompletableFuture<Void> shown = new CompletableFuture<>();
        Platform.startup(() -> {
            try {
                Console.open(new Stage(), settings, connector, ZoneId.systemDefault(), Clock.systemUTC());
                shown.complete(null);
            } catch (RuntimeException | LinkageError e) {
                shown.completeExceptionally(e);
                Platform.exit();
            }
        });
        shown.get();
    }
}
