package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.LogRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "log",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Shows backup executions, newest first: of one target, or of all.",
            "A run is logged when it starts (RUNNING) and completed when it ends.",
            "Rows print as the server sends them, so any number of them takes little memory."
        })
final class LogCommand extends CtlCommand {
    @Option(names = "--node", paramLabel = "H", description = "Only this target's executions (with --path).")
    String node;

    @Option(names = "--path", paramLabel = "P", description = "Only this target's executions (with --node).")
    String path;

    @Option(names = "--port", paramLabel = "N", description = "Agent port, when several targets share node and path.")
    Integer port;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "At most N executions; 0 for all. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(
            names = "--since",
            paramLabel = "T",
            description = "Only runs started at or after T: a UTC time (2026-01-02T03:04:05.123Z) or a duration back "
                    + "from now (2h, 30m).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Only runs started before T (as --since).")
    String until;

    @Option(
            names = "--outcome",
            paramLabel = "OUTCOME",
            description = "Only runs with this outcome: STORED, UNCHANGED, FAILED or RUNNING.")
    String outcome;

    /** "Now" for durations back from now; tests give their own. */
    Clock clock = Clock.systemUTC();

    @Override
    int execute(BackupClient client) throws IOException {
        if (limit < 0) {
            throw new InvalidInputException("--limit " + limit + " is negative: give a count, or 0 for all");
        }
        Instant from = since == null ? null : TimeBound.parse("--since", since, clock);
        Instant to = until == null ? null : TimeBound.parse("--until", until, clock);
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException(
                    "--until " + until + " is before --since " + since + ": nothing can have started in between");
        }
        Listing<ExecutionInfo> listing = Output.executions(out(), json());
        client.log(new LogRequest(selector(), limit, from, to, outcome()), listing::add);
        listing.finish();
        return 0;
    }

    private Outcome outcome() {
        if (outcome == null) {
            return null;
        }
        try {
            return Outcome.valueOf(outcome.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--outcome '" + outcome + "' is none of "
                    + Arrays.stream(Outcome.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    private TargetSelector selector() {
        if (node == null && path == null) {
            if (port != null) {
                throw new InvalidInputException("--port " + port + " needs --node and --path");
            }
            return null;
        }
        if (node == null || path == null) {
            throw new InvalidInputException("give both --node and --path to select a target, or neither for all");
        }
        return new TargetSelector(
                NodeAddress.normalize(node),
                TargetPath.normalize(path),
                port == null ? null : NodeAddress.checkPort(port));
    }
}
