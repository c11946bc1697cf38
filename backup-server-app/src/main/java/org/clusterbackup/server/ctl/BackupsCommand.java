package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "backups", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Lists every archive a target ever stored, newest first, pruned ones included.")
final class BackupsCommand extends CtlCommand {
    @Mixin
    TargetOptions target;

    @Override
    int execute(BackupClient client) throws IOException {
        Output.archives(out(), client.backups(target.selector()), json());
        return 0;
    }
}
