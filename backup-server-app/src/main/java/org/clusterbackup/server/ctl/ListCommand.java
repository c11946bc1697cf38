package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.protocol.TargetInfo;
import picocli.CommandLine.Command;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Lists the registered (active) targets.")
final class ListCommand extends CtlCommand {
    @Override
    int execute(BackupClient client) throws IOException {
        Listing<TargetInfo> listing = Output.targets(out(), json());
        client.list(listing::add);
        listing.finish();
        return 0;
    }
}
