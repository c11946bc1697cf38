package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.security.Fingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "trust",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Pins the identity of the agent at NODE:PORT, replacing the pin it had (admin).",
            "Use it after an agent's key was replaced on purpose: `backup-agent fingerprint` prints the new one."
        })
final class TrustCommand extends CtlCommand {
    @Option(names = "--node", required = true, paramLabel = "H", description = "Node: host name or IP address.")
    String node;

    @Option(names = "--port", required = true, paramLabel = "N", description = "Port of the agent on the node.")
    int port;

    @Option(
            names = "--fingerprint",
            required = true,
            paramLabel = "FP",
            description = "The agent's identity, SHA256:… as `backup-agent fingerprint` prints it.")
    String fingerprint;

    @Override
    int execute(BackupClient client) throws IOException {
        String n = NodeAddress.normalize(node);
        int p = NodeAddress.checkPort(port);
        Fingerprint fp = Fingerprint.parse(fingerprint, "--fingerprint");
        SecurityOutput.trust(out(), client.trust(n, p, fp.value()), json());
        return 0;
    }
}
