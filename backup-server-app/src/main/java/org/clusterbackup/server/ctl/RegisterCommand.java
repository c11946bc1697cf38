package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.util.List;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.BulkTargets;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.protocol.RegisterBatchReply;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetLine;
import org.clusterbackup.core.security.Fingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "register",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Registers a target: the server backs up PATH on NODE through the agent on PORT, every SPEC.",
            "Registering an unregistered target again reactivates it, with its id and history.",
            "With --from FILE ('-': stdin), registers every target of the file, one a line: NODE PORT PATH SPEC "
                    + "(blank lines and # comments skipped). Every line is checked first: a bad one is exit 2 "
                    + "naming it, and nothing is registered. Targets already registered with the same SPEC "
                    + "count as unchanged, so running the same file again is safe."
        })
final class RegisterCommand extends CtlCommand {
    @Option(names = "--node", paramLabel = "H", description = "Node: host name or IP address.")
    String node;

    @Option(names = "--port", paramLabel = "N", description = "Port of the agent on the node.")
    Integer port;

    @Option(names = "--path", paramLabel = "P", description = "Absolute path to back up.")
    String path;

    @Option(
            names = "--every",
            paramLabel = "SPEC",
            description = "Frequency: minutes (5), or a number with s, m or h (30s, 5m, 2h).")
    String every;

    @Option(
            names = "--agent-fingerprint",
            paramLabel = "FP",
            description = "The agent's identity (SHA256:…, as `backup-agent fingerprint` prints it), pinned for "
                    + "NODE:PORT. Without it the first contact pins what the agent presents.")
    String agentFingerprint;

    @Option(
            names = "--from",
            paramLabel = "FILE",
            description = "Register the targets of FILE ('-': stdin) instead of one given by the options above.")
    String from;

    /** The file's targets, read once: a retry after a trust prompt must not read stdin again. */
    private List<TargetLine> fromFile;

    @Override
    int execute(BackupClient client) throws IOException {
        if (from != null) {
            if (node != null || port != null || path != null || every != null || agentFingerprint != null) {
                throw new InvalidInputException("--from takes every target from the file: give no --node, --port, "
                        + "--path, --every or --agent-fingerprint with it");
            }
            if (fromFile == null) {
                fromFile = TargetFile.read(from, main.stdin(), true);
            }
            RegisterBatchReply done = new BulkTargets(client).register(fromFile);
            Output.counts(
                    out(),
                    json(),
                    "registered",
                    done.registered(),
                    "reactivated",
                    done.reactivated(),
                    "unchanged",
                    done.unchanged());
            return 0;
        }
        require(node, "--node=H");
        require(port, "--port=N");
        require(path, "--path=P");
        require(every, "--every=SPEC");
        String fp = agentFingerprint == null
                ? null
                : Fingerprint.parse(agentFingerprint, "--agent-fingerprint").value();
        String n = NodeAddress.normalize(node);
        int p = NodeAddress.checkPort(port);
        String normalized = TargetPath.normalize(path);
        long seconds = Frequency.parseSeconds(every);
        TargetInfo t = client.register(n, p, normalized, seconds, fp);
        Output.target(out(), t, json());
        return 0;
    }

    private static void require(Object value, String option) {
        if (value == null) {
            throw new InvalidInputException("missing required option: '" + option + "' (or --from FILE)");
        }
    }
}
