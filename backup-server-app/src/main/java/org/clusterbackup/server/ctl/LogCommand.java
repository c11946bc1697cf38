package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.model.TargetSelector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "log", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Shows backup executions, newest first: of one target, or of all.",
                "A run is logged when it starts (RUNNING) and completed when it ends."})
final class LogCommand extends CtlCommand {
    @Option(names = "--node", paramLabel = "H", description = "Only this target's executions (with --path).")
    String node;

    @Option(names = "--path", paramLabel = "P", description = "Only this target's executions (with --node).")
    String path;

    @Option(names = "--port", paramLabel = "N", description = "Agent port, when several targets share node and path.")
    Integer port;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most N executions; 0 for all. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    int execute(BackupClient client) throws IOException {
        if (limit < 0) {
            throw new InvalidInputException("--limit " + limit + " is negative: give a count, or 0 for all");
        }
        Output.executions(out(), client.log(selector(), limit), json());
        return 0;
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
        return new TargetSelector(NodeAddress.normalize(node), TargetPath.normalize(path),
                port == null ? null : NodeAddress.checkPort(port));
    }
}
