package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.security.Fingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "register", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Registers a target: the server backs up PATH on NODE through the agent on PORT, every SPEC.",
                "Registering an unregistered target again reactivates it, with its id and history."})
final class RegisterCommand extends CtlCommand {
    @Option(names = "--node", required = true, paramLabel = "H", description = "Node: host name or IP address.")
    String node;

    @Option(names = "--port", required = true, paramLabel = "N", description = "Port of the agent on the node.")
    int port;

    @Option(names = "--path", required = true, paramLabel = "P", description = "Absolute path to back up.")
    String path;

    @Option(names = "--every", required = true, paramLabel = "SPEC",
            description = "Frequency: minutes (5), or a number with s, m or h (30s, 5m, 2h).")
    String every;

    @Option(names = "--agent-fingerprint", paramLabel = "FP",
            description = "The agent's identity (SHA256:…, as `backup-agent fingerprint` prints it), pinned for "
                    + "NODE:PORT. Without it the first contact pins what the agent presents.")
    String agentFingerprint;

    @Override
    int execute(BackupClient client) throws IOException {
        String fp = agentFingerprint == null ? null : Fingerprint.parse(agentFingerprint, "--agent-fingerprint").value();
        String n = NodeAddress.normalize(node);
        int p = NodeAddress.checkPort(port);
        String normalized = TargetPath.normalize(path);
        long seconds = Frequency.parseSeconds(every);
        TargetInfo t = client.register(n, p, normalized, seconds, fp);
        Output.target(out(), t, json());
        return 0;
    }
}
