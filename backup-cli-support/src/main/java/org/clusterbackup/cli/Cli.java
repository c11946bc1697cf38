package org.clusterbackup.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine;

/**
 * What every command of this module shares: exit codes, one-line errors, and a picocli set-up that never
 * prints a stack trace or a page of usage for a user's mistake.
 */
public final class Cli {
    public static final int EXIT_OK = 0;
    /** A daemon could not start (address in use, data dir locked or unreadable). */
    public static final int EXIT_START_FAILED = 1;
    /** (backupctl) The server reported an internal error: a bug on its side. */
    public static final int EXIT_INTERNAL = 1;

    public static final int EXIT_USAGE = 2;
    public static final int EXIT_REFUSED = 3;
    public static final int EXIT_UNREACHABLE = 4;
    public static final int EXIT_FAILED = 5;
    public static final int EXIT_INTEGRITY = 6;
    /** The client's own connection is not trusted: token, role, or the server's identity. */
    public static final int EXIT_AUTH = 7;

    private Cli() {}

    /** Parses and runs a command, mapping usage errors to one line and exit 2. */
    public static int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        configure(cl);
        return cl.execute(args);
    }

    public static void configure(CommandLine cl) {
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            String unknown = firstUnknownOption(c, args);
            String message = unknown != null ? "unknown option '" + unknown + "'" : ex.getMessage();
            err.println(c.getCommandSpec().qualifiedName() + ": " + message + " (see "
                    + c.getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            err.println(c.getCommandSpec().qualifiedName() + ": internal error: " + oneLine(ex));
            err.flush();
            return EXIT_START_FAILED;
        });
    }

    /**
     * picocli reports missing required options before unknown ones; a user who mistyped a flag is better
     * served by hearing about the typo, so look for it first.
     */
    private static String firstUnknownOption(CommandLine c, String[] args) {
        CommandLine.Model.CommandSpec spec = c.getCommandSpec();
        for (String arg : args) {
            if (arg.equals("--")) {
                return null;
            }
            if (arg.startsWith("-") && arg.length() > 1 && !arg.matches("-[0-9].*")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (spec.findOption(name) == null && !isOptionOfAncestor(spec, name)) {
                    return name;
                }
            }
        }
        return null;
    }

    private static boolean isOptionOfAncestor(CommandLine.Model.CommandSpec spec, String name) {
        for (CommandLine.Model.CommandSpec p = spec.parent(); p != null; p = p.parent()) {
            if (p.findOption(name) != null) {
                return true;
            }
        }
        return false;
    }

    public static int usageError(String command, String message) {
        System.err.println(command + ": " + message);
        return EXIT_USAGE;
    }

    /** A throwable's message without class names or further lines, for users. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** {@code host:port} with the numeric address a listener is bound to. */
    public static String format(InetSocketAddress a) {
        String host =
                a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
