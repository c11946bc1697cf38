package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import picocli.CommandLine.Command;

@Command(
        name = "servers",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Lists the live servers of the cluster (a server alone on its catalog lists itself): name, "
                + "control address, how many targets each runs, and its last heartbeat.")
final class ServersCommand extends CtlCommand {
    @Override
    int execute(BackupClient client) throws IOException {
        Output.servers(out(), client.servers(), json());
        return 0;
    }
}
