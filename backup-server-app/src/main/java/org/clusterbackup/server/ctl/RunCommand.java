package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.protocol.ExecutionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Backs a target up now, or joins the run in progress, and waits for its end.",
            "Exit 0 when STORED or UNCHANGED, 5 when FAILED (the reason on stderr)."
        })
final class RunCommand extends CtlCommand {
    @Mixin
    TargetOptions target;

    @Override
    int execute(BackupClient client) throws IOException {
        ExecutionInfo e;
        try (Progress progress = progress("backing up " + target.node + " " + target.path)) {
            e = client.run(target.selector());
        }
        Output.execution(out(), e, json());
        if (e.outcome() == Outcome.FAILED) {
            return fail(
                    Cli.EXIT_FAILED,
                    "backup of " + e.node() + ":" + e.port() + " " + e.path() + " failed: " + e.error());
        }
        return 0;
    }
}
