package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.server.api.BackupServer;
import picocli.CommandLine;

/** Runs backupctl in-process, as a user's shell would, capturing stdout, stderr and the exit code. */
final class CtlRunner {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private final Map<String, String> env;

    /**
     * A runner with {@code env} as its environment. Unless {@code env} names one, the operator's config dir
     * is a fresh temporary one: pins made by a test never reach the user's own {@code known_servers}.
     */
    CtlRunner(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        if (!all.containsKey("XDG_CONFIG_HOME")) {
            try {
                all.put(
                        "XDG_CONFIG_HOME",
                        Files.createTempDirectory("backupctl-config").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.env = Map.copyOf(all);
    }

    /**
     * A runner for the first operator of {@code server}: it pins the server's identity and holds the admin
     * token the server wrote (unless {@code env} says otherwise).
     */
    CtlRunner(BackupServer server, Map<String, String> env) {
        this(operatorOf(server, env));
    }

    private static Map<String, String> operatorOf(BackupServer server, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent(OperatorAccess.FINGERPRINT_ENV, server.fingerprint().value());
        try {
            all.putIfAbsent(
                    OperatorAccess.TOKEN_ENV,
                    Files.readString(server.adminTokenFile()).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    Result run(String... args) {
        return runWithStdin("", args);
    }

    /** Runs with {@code stdin} as what {@code -} files read. */
    Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CtlMain.commandLine(new CtlMain(env)
                .withStdin(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** The field names of a JSON object, in order: the contract fixes them. */
    static java.util.List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
