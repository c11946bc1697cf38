package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.core.client.AccessDeniedException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.client.UnknownServerException;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.net.RemoteErrorException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands: resolves the server, runs the request, and turns every failure into one line on
 * stderr and the contract's exit code.
 */
abstract class CtlCommand implements Callable<Integer> {
    @ParentCommand
    CtlMain main;

    @Spec
    CommandSpec spec;

    /** Does the work; output goes to {@link #out()}. */
    abstract int execute(BackupClient client) throws IOException;

    @Override
    public final Integer call() {
        try {
            HostPort server;
            try {
                server = HostPort.parse(main.serverAddress(), main.serverSource(), false);
            } catch (InvalidInputException e) {
                return fail(Cli.EXIT_USAGE, e.getMessage());
            }
            OperatorAccess access = main.access();
            int code;
            try {
                code = execute(access.apply(BackupClient.of(server, "cli")));
            } catch (UnknownServerException unknown) {
                if (!TrustPrompt.ask(unknown)) {
                    return fail(Cli.EXIT_AUTH, unknown.getMessage());
                }
                access.accept(unknown.server(), unknown.presented());
                code = execute(access.apply(BackupClient.of(server, "cli")));
            }
            out().flush();
            return code;
        } catch (InvalidInputException e) {
            return fail(Cli.EXIT_USAGE, e.getMessage());
        } catch (RemoteErrorException e) {
            return fail(exitCode(e.code()), message(e));
        } catch (AccessDeniedException | UnknownServerException e) {
            return fail(Cli.EXIT_AUTH, e.getMessage());
        } catch (UnreachableException e) {
            return fail(Cli.EXIT_UNREACHABLE, e.getMessage());
        } catch (IOException e) {
            return fail(Cli.EXIT_UNREACHABLE, Cli.oneLine(e));
        }
    }

    /** The contract's exit code for each error the server can report; a new code must be placed here. */
    static int exitCode(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> Cli.EXIT_USAGE;
            case NOT_FOUND, DUPLICATE, AMBIGUOUS, REFUSED -> Cli.EXIT_REFUSED;
            case FAILED -> Cli.EXIT_FAILED;
            case INTEGRITY -> Cli.EXIT_INTEGRITY;
            case UNAUTHORIZED, FORBIDDEN -> Cli.EXIT_AUTH;
            case UNREACHABLE, PROTOCOL, BUSY, UNKNOWN -> Cli.EXIT_UNREACHABLE;
            case INTERNAL -> Cli.EXIT_INTERNAL;
        };
    }

    /** The line for stderr: the server's own words, introduced where they alone would not say what happened. */
    static String message(RemoteErrorException e) {
        return switch (e.code()) {
            case BAD_REQUEST,
                    NOT_FOUND,
                    DUPLICATE,
                    AMBIGUOUS,
                    REFUSED,
                    FAILED,
                    INTEGRITY,
                    UNREACHABLE,
                    UNAUTHORIZED,
                    FORBIDDEN -> e.getMessage();
            case PROTOCOL -> "protocol failure talking to the server: " + e.getMessage();
            case BUSY -> "the server is busy: " + e.getMessage();
            case INTERNAL -> "the server reported an internal error: " + e.getMessage();
            case UNKNOWN -> "the server reported an error this backupctl does not know: " + e.getMessage();
        };
    }

    int fail(int code, String message) {
        out().flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("backupctl " + spec.name() + ": " + message);
        err.flush();
        return code;
    }

    /** A progress line on stderr for work that takes a while; shown only on a terminal, never with --json. */
    Progress progress(String what) {
        return Progress.start(
                spec.commandLine().getErr(),
                what,
                Progress.UNKNOWN,
                Progress.shown(json(), Progress.stderrIsTerminal()));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    boolean json() {
        return main.json;
    }
}
