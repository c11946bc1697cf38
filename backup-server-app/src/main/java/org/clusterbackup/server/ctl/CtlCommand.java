package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.clusterbackup.core.client.AccessDeniedException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.client.UnknownServerException;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.cli.Cli;
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
            return fail(exitCode(e), e.getMessage());
        } catch (AccessDeniedException | UnknownServerException e) {
            return fail(Cli.EXIT_AUTH, e.getMessage());
        } catch (UnreachableException e) {
            return fail(Cli.EXIT_UNREACHABLE, e.getMessage());
        } catch (IOException e) {
            return fail(Cli.EXIT_UNREACHABLE, Cli.oneLine(e));
        }
    }

    static int exitCode(RemoteErrorException e) {
        switch (e.code()) {
            case BAD_REQUEST:
                return Cli.EXIT_USAGE;
            case NOT_FOUND:
            case DUPLICATE:
            case AMBIGUOUS:
            case REFUSED:
                return Cli.EXIT_REFUSED;
            case FAILED:
                return Cli.EXIT_FAILED;
            case INTEGRITY:
                return Cli.EXIT_INTEGRITY;
            case UNAUTHORIZED:
            case FORBIDDEN:
                return Cli.EXIT_AUTH;
            default:
                return Cli.EXIT_UNREACHABLE;
        }
    }

    int fail(int code, String message) {
        out().flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("backupctl " + spec.name() + ": " + message);
        err.flush();
        return code;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    boolean json() {
        return main.json;
    }
}
