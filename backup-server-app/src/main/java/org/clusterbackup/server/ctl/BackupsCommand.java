package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.protocol.ArchiveInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "backups",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Lists every archive a target ever stored, newest first, pruned ones included.")
final class BackupsCommand extends CtlCommand {
    @Mixin
    TargetOptions target;

    @Override
    int execute(BackupClient client) throws IOException {
        Listing<ArchiveInfo> listing = Output.archives(out(), json());
        client.backups(target.selector(), listing::add);
        listing.finish();
        return 0;
    }
}
