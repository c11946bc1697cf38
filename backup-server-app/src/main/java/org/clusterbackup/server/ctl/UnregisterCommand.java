package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.util.List;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.BulkTargets;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetLine;
import org.clusterbackup.core.protocol.UnregisterBatchReply;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "unregister",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Stops the backups of a target. Its archives and log stay; register it again to resume.",
            "With --from FILE ('-': stdin), unregisters every target of the file, one a line: NODE PORT PATH "
                    + "[SPEC] (as register --from reads it). Every line is checked first; targets not "
                    + "registered count as not found, so running the same file again is safe."
        })
final class UnregisterCommand extends CtlCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** One target by its options, or a file of them. */
    static final class Which {
        @ArgGroup(exclusive = false, multiplicity = "1")
        TargetOptions target;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "FILE",
                description = "Unregister the targets of FILE ('-': stdin) instead.")
        String from;
    }

    /** The file's targets, read once: a retry after a trust prompt must not read stdin again. */
    private List<TargetLine> fromFile;

    @Override
    int execute(BackupClient client) throws IOException {
        if (which.from != null) {
            if (fromFile == null) {
                fromFile = TargetFile.read(which.from, main.stdin(), false);
            }
            UnregisterBatchReply done = new BulkTargets(client).unregister(fromFile);
            Output.counts(out(), json(), "unregistered", done.unregistered(), "notFound", done.notFound());
            return 0;
        }
        TargetInfo t = client.unregister(which.target.selector());
        Output.target(out(), t, json());
        return 0;
    }
}
