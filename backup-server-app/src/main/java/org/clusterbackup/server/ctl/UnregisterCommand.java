package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.protocol.TargetInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "unregister", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Stops the backups of a target. Its archives and log stay; register it again to resume."})
final class UnregisterCommand extends CtlCommand {
    @Mixin
    TargetOptions target;

    @Override
    int execute(BackupClient client) throws IOException {
        TargetInfo t = client.unregister(target.selector());
        Output.target(out(), t, json());
        return 0;
    }
}
