package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import picocli.CommandLine.Command;

@Command(name = "list", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Lists the registered (active) targets.")
final class ListCommand extends CtlCommand {
    @Override
    int execute(BackupClient client) throws IOException {
        Output.targets(out(), client.list(), json());
        return 0;
    }
}
